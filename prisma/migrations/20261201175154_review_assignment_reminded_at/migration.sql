-- AlterTable
ALTER TABLE "ReviewAssignment" ADD COLUMN     "remindedAt" TIMESTAMP(3);

