// What runs after a batch of usage and moderation records is stored: oversight that reads the records
// (automatic suspension on flags, the hourly purge of old flagged excerpts, quota warnings). Runs off the request
// path; a failure is logged, never retried into the recorder, and never blocks the next batch.
import "server-only";
import { messageOf } from "@/lib/errors";
import { applyAutoSuspension, purgeExpiredExcerptsHourly } from "@/lib/moderation/enforcement";
import { scheduleQuotaCheck } from "@/lib/usage/quota-warnings";
import type { RecordRow } from "./usage";

export async function afterRecordsStored(rows: RecordRow[]): Promise<void> {
  if (rows.length === 0) return;
  const checks: Promise<unknown>[] = [applyAutoSuspension(rows), purgeExpiredExcerptsHourly(), scheduleQuotaCheck(rows)];
  for (const result of await Promise.allSettled(checks)) {
    if (result.status === "rejected") console.error("[gateway] a check after storing records failed", messageOf(result.reason));
  }
}
