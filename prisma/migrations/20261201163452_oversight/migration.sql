-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "suspendedReason" TEXT;

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "suspendedReason" TEXT;

-- AlterTable
ALTER TABLE "ModerationEvent" ADD COLUMN     "resolution" TEXT;

-- CreateTable
CREATE TABLE "OrganizationWarning" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "moderationEventId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrganizationWarning_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrganizationWarning_organizationId_createdAt_idx" ON "OrganizationWarning"("organizationId", "createdAt");

-- AddForeignKey
ALTER TABLE "OrganizationWarning" ADD CONSTRAINT "OrganizationWarning_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateIndex
CREATE INDEX "ModerationEvent_apiKeyId_createdAt_idx" ON "ModerationEvent"("apiKeyId", "createdAt");
