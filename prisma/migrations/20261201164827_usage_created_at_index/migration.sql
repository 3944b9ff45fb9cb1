-- CreateIndex
CREATE INDEX "UsageRecord_createdAt_id_idx" ON "UsageRecord"("createdAt", "id");

