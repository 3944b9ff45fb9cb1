-- CreateTable
CREATE TABLE "QuotaWarning" (
    "id" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "month" TIMESTAMP(3) NOT NULL,
    "threshold" INTEGER NOT NULL,
    "usedTokens" BIGINT NOT NULL,
    "quota" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuotaWarning_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "QuotaWarning_grantId_month_threshold_key" ON "QuotaWarning"("grantId", "month", "threshold");

-- AddForeignKey
ALTER TABLE "QuotaWarning" ADD CONSTRAINT "QuotaWarning_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "KeyGrant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

