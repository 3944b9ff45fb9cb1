-- AlterTable
ALTER TABLE "UsageRecord" ADD COLUMN     "isSanitized" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ModerationEvent" ADD COLUMN     "isSanitized" BOOLEAN NOT NULL DEFAULT false;

