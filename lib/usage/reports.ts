// Usage reports from UsageRecord: the admins' monthly totals per organisation (the dashboards are lib/usage/dashboard.ts).
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import type { SessionUser } from "@/lib/users/service";

export function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
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
