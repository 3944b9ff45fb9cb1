// Usage dashboards for admins (every organisation) and applicants (their organisations): series per hour or day,
// totals, errors by code and quota used per grant, all aggregated in SQL from UsageRecord.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseStoredScopes } from "@/lib/keys/scopes";
import type { SessionUser } from "@/lib/users/service";
import { resolveUsageFilter, usageScopeOf, usageWhere, type UsageFilter, type UsageScope } from "./filters";
import { startOfUtcMonth } from "./reports";

export interface UsagePoint {
  /** Start of the bucket, ISO. */
  at: string;
  requests: number;
  tokens: number;
  errors: number;
  flagged: number;
  /** Latency percentiles in ms; null for an empty bucket. */
  p50: number | null;
  p95: number | null;
}

export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  tokens: number;
  errors: number;
  flagged: number;
  p50: number | null;
  p95: number | null;
}

export interface QuotaRow {
  grantId: string;
  organizationId: string;
  organizationName: string;
  kind: "DEVELOPMENT" | "LIVE";
  applicationName: string | null;
  quota: number;
  used: number;
  /** Share of the quota used, 0..(more than 1 when over). */
  share: number;
  level: "ok" | "warning" | "exceeded";
}

export const QUOTA_WARNING_SHARE = 0.8;

interface AggregateRow {
  bucket?: Date;
  requests: bigint;
  promptTokens: bigint;
  completionTokens: bigint;
  tokens: bigint;
  errors: bigint;
  flagged: bigint;
  p50: number | null;
  p95: number | null;
}

const aggregates = Prisma.sql`
  count(*)::int8 AS "requests",
  coalesce(sum(u."promptTokens"), 0)::int8 AS "promptTokens",
  coalesce(sum(u."completionTokens"), 0)::int8 AS "completionTokens",
  coalesce(sum(u."totalTokens"), 0)::int8 AS "tokens",
  count(*) FILTER (WHERE u."status" >= 400)::int8 AS "errors",
  count(*) FILTER (WHERE u."isFlagged")::int8 AS "flagged",
  percentile_cont(0.5) WITHIN GROUP (ORDER BY u."latencyMs") AS "p50",
  percentile_cont(0.95) WITHIN GROUP (ORDER BY u."latencyMs") AS "p95"`;

const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** Every bucket start from `since` up to `until`, so empty hours or days show as zero. */
export function bucketStarts(since: Date, until: Date, bucket: "hour" | "day"): Date[] {
  const step = bucket === "hour" ? 3_600_000 : 86_400_000;
  const first = Math.floor(since.getTime() / step) * step;
  const starts: Date[] = [];
  for (let at = first; at < until.getTime(); at += step) starts.push(new Date(at));
  return starts;
}

/** The dashboard's numbers for an already resolved scope and filter (the page functions below authorise). */
export async function queryUsageDashboard(scope: UsageScope, filter: UsageFilter) {
  const where = usageWhere(scope, filter);
  const unit = filter.bucket === "hour" ? Prisma.sql`'hour'` : Prisma.sql`'day'`;
  const [seriesRows, totalRows, errorRows] = await Promise.all([
    db.$queryRaw<AggregateRow[]>`
      SELECT date_trunc(${unit}, u."createdAt") AS "bucket", ${aggregates}
      FROM "UsageRecord" u WHERE ${where} GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<AggregateRow[]>`SELECT ${aggregates} FROM "UsageRecord" u WHERE ${where}`,
    db.$queryRaw<{ code: string; requests: bigint }[]>`
      SELECT coalesce(u."errorCode", 'http_' || u."status") AS "code", count(*)::int8 AS "requests"
      FROM "UsageRecord" u WHERE ${where} AND u."status" >= 400 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50`,
  ]);
  const byBucket = new Map(seriesRows.map((row) => [row.bucket?.getTime(), row]));
  const series: UsagePoint[] = bucketStarts(filter.since, filter.until, filter.bucket).map((start) => {
    const row = byBucket.get(start.getTime());
    return {
      at: start.toISOString(),
      requests: Number(row?.requests ?? 0),
      tokens: Number(row?.tokens ?? 0),
      errors: Number(row?.errors ?? 0),
      flagged: Number(row?.flagged ?? 0),
      p50: round(row?.p50 ?? null),
      p95: round(row?.p95 ?? null),
    };
  });
  const total = totalRows[0];
  const totals: UsageTotals = {
    requests: Number(total?.requests ?? 0),
    promptTokens: Number(total?.promptTokens ?? 0),
    completionTokens: Number(total?.completionTokens ?? 0),
    tokens: Number(total?.tokens ?? 0),
    errors: Number(total?.errors ?? 0),
    flagged: Number(total?.flagged ?? 0),
    p50: round(total?.p50 ?? null),
    p95: round(total?.p95 ?? null),
  };
  return { series, totals, errorsByCode: errorRows.map((row) => ({ code: row.code, requests: Number(row.requests) })) };
}

/** The choices offered by the filter bar: organisations, applications and keys in scope. */
async function filterOptions(scope: UsageScope, organizationId?: string) {
  const orgWhere = scope.kind === "all" ? {} : { id: { in: scope.organizationIds } };
  const inScope = scope.kind === "all" ? {} : { organizationId: { in: scope.organizationIds } };
  const narrowed = organizationId ? { ...inScope, organizationId } : inScope;
  const [organizations, applications, keys] = await Promise.all([
    db.organization.findMany({ where: orgWhere, orderBy: [{ name: "asc" }, { id: "asc" }], take: 500, select: { id: true, name: true } }),
    db.application.findMany({
      where: { ...narrowed, grants: { some: {} } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 500,
      select: { id: true, productName: true, organization: { select: { name: true } } },
    }),
    db.apiKey.findMany({
      where: narrowed,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 500,
      select: { id: true, name: true, prefix: true, organization: { select: { name: true } } },
    }),
  ]);
  return {
    organizations,
    applications: applications.map((application) => ({ id: application.id, name: `${application.productName || "Untitled application"} (${application.organization.name})` })),
    keys: keys.map((key) => ({ id: key.id, name: `${key.name} (${key.prefix}…, ${key.organization.name})` })),
  };
}

/**
 * Monthly token quota used per key grant this UTC month (the gateway counts the same sum), heaviest share first.
 * Admins without an organisation filter see the grants with usage this month; members see all their live grants.
 */
export async function queryQuotaUsage(scope: UsageScope, { organizationId, now = new Date() }: { organizationId?: string; now?: Date } = {}): Promise<QuotaRow[]> {
  const monthStart = startOfUtcMonth(now);
  const orgFilter =
    scope.kind === "organizations"
      ? scope.organizationIds.length === 0
        ? Prisma.sql`FALSE`
        : Prisma.sql`g."organizationId" IN (${Prisma.join(scope.organizationIds)})`
      : Prisma.sql`TRUE`;
  const narrow = organizationId ? Prisma.sql`g."organizationId" = ${organizationId}` : Prisma.sql`TRUE`;
  const onlyUsed = scope.kind === "all" && !organizationId ? Prisma.sql`HAVING coalesce(sum(u."totalTokens"), 0) > 0` : Prisma.empty;
  const rows = await db.$queryRaw<{ grantId: string; organizationId: string; organizationName: string; kind: "DEVELOPMENT" | "LIVE"; applicationName: string | null; scopes: unknown; used: bigint }[]>`
    SELECT g."id" AS "grantId", g."organizationId", o."name" AS "organizationName", g."kind"::text AS "kind", a."productName" AS "applicationName",
           g."scopes", coalesce(sum(u."totalTokens"), 0)::int8 AS "used"
    FROM "KeyGrant" g
    JOIN "Organization" o ON o."id" = g."organizationId"
    LEFT JOIN "Application" a ON a."id" = g."applicationId"
    LEFT JOIN "ApiKey" k ON k."grantId" = g."id"
    LEFT JOIN "UsageRecord" u ON u."apiKeyId" = k."id" AND u."createdAt" >= ${monthStart}
    WHERE g."revokedAt" IS NULL AND ${orgFilter} AND ${narrow}
    GROUP BY g."id", o."name", a."productName"
    ${onlyUsed}
    LIMIT 200`;
  return rows
    .map((row) => {
      const quota = parseStoredScopes(row.scopes).monthlyTokenQuota;
      const used = Number(row.used);
      const share = used / quota;
      return {
        grantId: row.grantId,
        organizationId: row.organizationId,
        organizationName: row.organizationName,
        kind: row.kind,
        applicationName: row.applicationName || null,
        quota,
        used,
        share,
        level: share >= 1 ? ("exceeded" as const) : share >= QUOTA_WARNING_SHARE ? ("warning" as const) : ("ok" as const),
      };
    })
    .sort((a, b) => b.share - a.share || a.organizationName.localeCompare(b.organizationName));
}

/** Everything a usage page shows; `as` picks the admin scope (every organisation) or the member scope. */
export async function getUsageDashboard({ actor, as, input, now = new Date() }: { actor: SessionUser; as: "admin" | "member"; input: unknown; now?: Date }) {
  const scope = await usageScopeOf(actor, as);
  const filter = await resolveUsageFilter({ scope, input, now });
  const [data, options, quotas] = await Promise.all([
    queryUsageDashboard(scope, filter),
    filterOptions(scope, filter.organizationId),
    queryQuotaUsage(scope, { organizationId: filter.organizationId, now }),
  ]);
  return { filter, ...data, options, quotas, hasOrganizations: scope.kind === "all" || scope.organizationIds.length > 0 };
}

/** The filter options alone, for a page whose filter was refused (so the bar can still be shown). */
export async function getUsageFilterOptions({ actor, as }: { actor: SessionUser; as: "admin" | "member" }) {
  return filterOptions(await usageScopeOf(actor, as));
}
