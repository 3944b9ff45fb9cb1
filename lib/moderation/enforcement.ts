// Automatic enforcement after flagged requests are stored, and the retention of flagged excerpts.
// - applyAutoSuspension: a key with at least N flags in the last M minutes is suspended (when the admins turned it
//   on). The suspension is a conditional update, so two batches checking the same key at once suspend, audit and
//   notify once.
// - purgeExpiredExcerpts: flagged text is personal data; excerpts older than the retention are emptied (the event,
//   its categories and scores stay for the record).
import "server-only";
import { recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import type { RecordRow } from "@/lib/gateway/usage";
import { forgetCachedKeys } from "@/lib/gateway/key-cache";
import { suspendKeyInTx } from "@/lib/keys/admin";
import { notifyUsers } from "@/lib/notifications";
import { processSingleton } from "@/lib/process";
import { getModerationSettings } from "./settings";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
export const EXCERPT_PURGE_INTERVAL_MS = 60 * MINUTE_MS;

/** Suspends the keys of `rows` that reached the flag threshold; returns the ids of the keys this call suspended. */
export async function applyAutoSuspension(rows: readonly RecordRow[], now: Date = new Date()): Promise<string[]> {
  const keyIds = [...new Set(rows.flatMap((row) => (row.kind === "moderation" ? [row.entry.apiKeyId] : [])))];
  if (keyIds.length === 0) return [];
  const settings = await getModerationSettings();
  if (!settings.autoSuspendEnabled) return [];
  const { autoSuspendFlags: flags, autoSuspendMinutes: minutes } = settings;
  const since = new Date(now.getTime() - minutes * MINUTE_MS);
  const counts = await db.moderationEvent.groupBy({ by: ["apiKeyId"], where: { apiKeyId: { in: keyIds }, createdAt: { gte: since } }, _count: { _all: true } });
  const reason = `automatic: ${flags} flags in ${minutes} minutes`;
  const suspended: string[] = [];
  for (const row of counts) {
    const keyId = row.apiKeyId;
    if (!keyId || row._count._all < flags) continue;
    const isSuspended = await db.$transaction(async (tx) => {
      if (!(await suspendKeyInTx({ keyId, actorId: null, reason, data: { flags: row._count._all, minutes } }, tx))) return false;
      const key = await tx.apiKey.findUniqueOrThrow({ where: { id: keyId }, select: { name: true, prefix: true, organization: { select: { name: true } } } });
      const admins = await tx.user.findMany({ where: { role: "ADMIN", status: "ACTIVE" }, select: { id: true } });
      await notifyUsers(
        {
          userIds: admins.map((admin) => admin.id),
          title: `Key ${key.prefix}… was suspended automatically`,
          body: `“${key.name}” of ${key.organization.name} had ${row._count._all} flagged requests in ${minutes} minutes (threshold ${flags}) and was suspended. Review it in the moderation queue.`,
          href: "/admin/moderation",
        },
        tx,
      );
      return true;
    });
    if (isSuspended) suspended.push(keyId);
  }
  if (suspended.length > 0) forgetCachedKeys();
  return suspended;
}

/** Empties the excerpts of flagged items older than the retention; returns how many were emptied. */
export async function purgeExpiredExcerpts(now: Date = new Date()): Promise<number> {
  const { excerptRetentionDays } = await getModerationSettings();
  const before = new Date(now.getTime() - excerptRetentionDays * DAY_MS);
  const { count } = await db.moderationEvent.updateMany({ where: { createdAt: { lt: before }, excerpt: { not: "" } }, data: { excerpt: "" } });
  if (count > 0) {
    await recordAudit({ actorId: null, action: "moderation.excerpts_purged", targetType: "ModerationEvent", targetId: "*", data: { count, before: before.toISOString(), retentionDays: excerptRetentionDays } });
  }
  return count;
}

/** Runs the purge at most once an hour per process (called after each stored batch); resolves to null when skipped. */
export async function purgeExpiredExcerptsHourly(now: Date = new Date()): Promise<number | null> {
  const state = processSingleton("moderation-excerpt-purge", () => ({ lastRunAt: Number.NEGATIVE_INFINITY }));
  if (now.getTime() - state.lastRunAt < EXCERPT_PURGE_INTERVAL_MS) return null;
  state.lastRunAt = now.getTime();
  return purgeExpiredExcerpts(now);
}
