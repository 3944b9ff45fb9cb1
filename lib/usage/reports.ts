// Usage reports from UsageRecord: an applicant's requests and tokens per day, and the admins' monthly totals.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { listMemberships } from "@/lib/organizations/access";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";

export const USAGE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface DailyUsage {
  /** UTC day, "2026-11-25". */
  day: string;
  requests: number;
  tokens: number;
}

/** The last `days` UTC days ending today, oldest first. */
export function usageWindow(now: Date, days = USAGE_DAYS): { since: Date; days: string[] } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (days - 1) * DAY_MS);
  return { since, days: Array.from({ length: days }, (_, index) => new Date(since.getTime() + index * DAY_MS).toISOString().slice(0, 10)) };
}

export function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

const usageInputSchema = z.object({ keyId: z.string().trim().max(100).optional().transform((value) => value || undefined) });

interface UsageRow {
  organizationId: string;
  apiKeyId: string;
  day: string;
  requests: bigint | number;
  tokens: bigint | number;
}

/**
 * Requests and tokens per day over the last 30 days for each of the user's organisations, with per-key totals;
 * `keyId` narrows the daily series to one key of theirs (another organisation's key is not found).
 */
export async function getUsageForUser({ actor, input, now = new Date() }: { actor: SessionUser; input: unknown; now?: Date }) {
  const { keyId } = parseInput(usageInputSchema, input);
  const memberships = await listMemberships(actor.id);
  const organizationIds = memberships.map((membership) => membership.organizationId);
  let selectedKey: { id: string; name: string; prefix: string; organizationId: string } | null = null;
  if (keyId) {
    selectedKey = await db.apiKey.findFirst({
      where: { id: keyId, organizationId: { in: organizationIds } },
      select: { id: true, name: true, prefix: true, organizationId: true },
    });
    if (!selectedKey) throw new AppError("not_found", "That key does not exist.");
  }
  const { since, days } = usageWindow(now);
  const rows =
    organizationIds.length === 0
      ? []
      : await db.$queryRaw<UsageRow[]>`
          SELECT "organizationId", "apiKeyId", to_char(date_trunc('day', "createdAt"), 'YYYY-MM-DD') AS "day",
                 count(*)::int8 AS "requests", coalesce(sum("totalTokens"), 0)::int8 AS "tokens"
          FROM "UsageRecord"
          WHERE "organizationId" IN (${Prisma.join(organizationIds)}) AND "createdAt" >= ${since}
          GROUP BY 1, 2, 3`;
  const keys = organizationIds.length === 0
    ? []
    : await db.apiKey.findMany({
        where: { organizationId: { in: organizationIds } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, name: true, prefix: true, organizationId: true },
      });
  return {
    since,
    days,
    selectedKey,
    organizations: memberships
      .filter((membership) => !selectedKey || membership.organizationId === selectedKey.organizationId)
      .map((membership) => {
        const orgRows = rows.filter((row) => row.organizationId === membership.organizationId);
        const seriesRows = selectedKey ? orgRows.filter((row) => row.apiKeyId === selectedKey.id) : orgRows;
        const daily: DailyUsage[] = days.map((day) => {
          const dayRows = seriesRows.filter((row) => row.day === day);
          return { day, requests: sum(dayRows.map((row) => row.requests)), tokens: sum(dayRows.map((row) => row.tokens)) };
        });
        const perKey = keys
          .filter((key) => key.organizationId === membership.organizationId)
          .map((key) => {
            const keyRows = orgRows.filter((row) => row.apiKeyId === key.id);
            return { id: key.id, name: key.name, prefix: key.prefix, requests: sum(keyRows.map((row) => row.requests)), tokens: sum(keyRows.map((row) => row.tokens)) };
          });
        return {
          id: membership.organizationId,
          name: membership.organizationName,
          daily,
          perKey,
          totals: { requests: sum(daily.map((day) => day.requests)), tokens: sum(daily.map((day) => day.tokens)) },
        };
      }),
  };
}

function sum(values: (bigint | number)[]): number {
  return values.reduce<number>((total, value) => total + Number(value), 0);
}

/** Admins: requests and tokens per organisation since the start of the current UTC month, heaviest first. */
export async function getMonthlyUsageByOrganization({ actor, now = new Date() }: { actor: SessionUser; now?: Date }) {
  assertAdmin(actor, "see every organisation's usage");
  const since = startOfUtcMonth(now);
  const groups = await db.usageRecord.groupBy({
    by: ["organizationId"],
    where: { createdAt: { gte: since } },
    _count: { _all: true },
    _sum: { promptTokens: true, completionTokens: true, totalTokens: true },
  });
  const organizations = await db.organization.findMany({
    where: { id: { in: groups.map((group) => group.organizationId) } },
    select: { id: true, name: true, suspendedAt: true },
  });
  const names = new Map(organizations.map((organization) => [organization.id, organization]));
  const rows = groups
    .map((group) => ({
      organizationId: group.organizationId,
      name: names.get(group.organizationId)?.name ?? "(deleted organisation)",
      isSuspended: Boolean(names.get(group.organizationId)?.suspendedAt),
      requests: group._count._all,
      promptTokens: group._sum.promptTokens ?? 0,
      completionTokens: group._sum.completionTokens ?? 0,
      totalTokens: group._sum.totalTokens ?? 0,
    }))
    .sort((a, b) => b.totalTokens - a.totalTokens || b.requests - a.requests || a.name.localeCompare(b.name));
  const totals = rows.reduce(
    (total, row) => ({ requests: total.requests + row.requests, totalTokens: total.totalTokens + row.totalTokens }),
    { requests: 0, totalTokens: 0 },
  );
  return { since, rows, totals };
}
