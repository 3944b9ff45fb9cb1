// Quota warnings: after usage rows are stored, each grant they touch whose month usage reached 80 % or 100 % of its
// monthly token quota is announced to the organisation's members, once per grant, month and threshold. A unique
// QuotaWarning row (grantId, month, threshold) inserted with ON CONFLICT DO NOTHING decides who notifies, so
// concurrent batches and several instances never send twice; the notification is written in the same transaction.
import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RecordRow } from "@/lib/gateway/usage";
import { parseStoredScopes } from "@/lib/keys/scopes";
import { notifyUsers } from "@/lib/notifications";
import { messageOf } from "@/lib/errors";
import { processSingleton } from "@/lib/process";
import { startOfUtcMonth } from "./reports";

export const QUOTA_THRESHOLDS = [80, 100] as const;
export type QuotaThreshold = (typeof QUOTA_THRESHOLDS)[number];

interface GrantUsage {
  grantId: string;
  organizationId: string;
  organizationName: string;
  kind: string;
  scopes: unknown;
  used: bigint;
}

/** Thresholds reached by `used` of `quota`, lowest first. */
export function reachedThresholds(used: number, quota: number): QuotaThreshold[] {
  return QUOTA_THRESHOLDS.filter((threshold) => used * 100 >= threshold * quota);
}

/**
 * For the grants of the usage rows just stored: computes this UTC month's tokens and records each threshold newly
 * reached. When one batch crosses both, only the 100 % notice is sent (the 80 % one is recorded as passed).
 * Returns the notices sent, for the caller's log and the tests.
 */
export async function notifyQuotaThresholds(rows: RecordRow[], now = new Date()): Promise<{ grantId: string; threshold: QuotaThreshold }[]> {
  return notifyQuotaThresholdsOfKeys(usageKeyIds(rows), now);
}

function usageKeyIds(rows: RecordRow[]): string[] {
  return [...new Set(rows.flatMap((row) => (row.kind === "usage" ? [row.entry.apiKeyId] : [])))];
}

/** At most one quota check per process this often: summing a busy grant's month for every stored batch (about every second) would cost the database more than the requests. */
export const QUOTA_CHECK_INTERVAL_MS = 10_000;

/**
 * The gateway's hook: the keys of the stored rows are checked together at most every QUOTA_CHECK_INTERVAL_MS (the
 * first at once), so a warning comes within seconds of the batch that crossed its threshold. Resolves after the check
 * that includes these rows.
 */
export function scheduleQuotaCheck(rows: RecordRow[]): Promise<void> {
  const state = processSingleton("quota-check", () => ({ keyIds: new Set<string>(), lastRunAt: Number.NEGATIVE_INFINITY, next: null as Promise<void> | null }));
  for (const keyId of usageKeyIds(rows)) state.keyIds.add(keyId);
  if (state.keyIds.size === 0) return Promise.resolve();
  state.next ??= new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      const keyIds = [...state.keyIds];
      state.keyIds.clear();
      state.next = null;
      state.lastRunAt = Date.now();
      void notifyQuotaThresholdsOfKeys(keyIds).then(() => resolve(), (error: unknown) => {
        console.error("[usage] quota check failed", messageOf(error));
        resolve();
      });
    }, Math.max(0, state.lastRunAt + QUOTA_CHECK_INTERVAL_MS - Date.now()));
    // Not kept alive for it: the next stored batch after a restart checks again (the state is in the database).
    timer.unref();
  });
  return state.next;
}

async function notifyQuotaThresholdsOfKeys(apiKeyIds: string[], now = new Date()): Promise<{ grantId: string; threshold: QuotaThreshold }[]> {
  if (apiKeyIds.length === 0) return [];
  const month = startOfUtcMonth(now);
  const grants = await db.$queryRaw<GrantUsage[]>`
    SELECT g."id" AS "grantId", g."organizationId", o."name" AS "organizationName", g."kind"::text AS "kind", g."scopes",
           (SELECT coalesce(sum(u."totalTokens"), 0) FROM "UsageRecord" u JOIN "ApiKey" k2 ON k2."id" = u."apiKeyId"
            WHERE k2."grantId" = g."id" AND u."createdAt" >= ${month})::int8 AS "used"
    FROM "KeyGrant" g JOIN "Organization" o ON o."id" = g."organizationId"
    WHERE g."revokedAt" IS NULL AND g."id" IN (SELECT DISTINCT k."grantId" FROM "ApiKey" k WHERE k."id" IN (${Prisma.join(apiKeyIds)}))
      -- A grant already warned at 100 % this month has nothing left to announce: skip summing its month.
      AND NOT EXISTS (SELECT 1 FROM "QuotaWarning" w WHERE w."grantId" = g."id" AND w."month" = ${month} AND w."threshold" = 100)`;
  const sent: { grantId: string; threshold: QuotaThreshold }[] = [];
  for (const grant of grants) {
    const quota = parseStoredScopes(grant.scopes).monthlyTokenQuota;
    const used = Number(grant.used);
    const reached = reachedThresholds(used, quota);
    if (reached.length === 0) continue;
    const threshold = await db.$transaction(async (tx) => {
      const inserted = await tx.$queryRaw<{ threshold: number }[]>`
        INSERT INTO "QuotaWarning" ("id", "grantId", "month", "threshold", "usedTokens", "quota")
        VALUES ${Prisma.join(reached.map((value) => Prisma.sql`(${randomUUID()}, ${grant.grantId}, ${month}, ${value}, ${BigInt(used)}, ${BigInt(quota)})`))}
        ON CONFLICT ("grantId", "month", "threshold") DO NOTHING
        RETURNING "threshold"`;
      const highest = Math.max(0, ...inserted.map((row) => row.threshold));
      if (highest === 0) return null;
      const members = await tx.membership.findMany({ where: { organizationId: grant.organizationId }, select: { userId: true } });
      const percent = highest === 100 ? "all" : `${highest} %`;
      await notifyUsers(
        {
          userIds: members.map((member) => member.userId),
          title: highest === 100 ? "Monthly token quota used up" : `Monthly token quota ${highest} % used`,
          body:
            `${grant.organizationName} has used ${used.toLocaleString("en-US")} of its ${quota.toLocaleString("en-US")} monthly tokens ` +
            `(${grant.kind === "LIVE" ? "production" : "development"} keys), ${percent} of the quota for ${month.toLocaleString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" })} (UTC).` +
            (highest === 100 ? " Further requests are refused until the quota resets at the start of next month." : ""),
          href: "/applicant/usage",
        },
        tx,
      );
      return highest as QuotaThreshold;
    });
    if (threshold) sent.push({ grantId: grant.grantId, threshold });
  }
  return sent;
}
