import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { getUsageDashboard } from "@/lib/usage/dashboard";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWithGrant, createTestKey } from "@/tests/support/keysui-factories";

const now = new Date("2026-11-25T12:30:00Z");

interface Row {
  apiKeyId: string;
  organizationId: string;
  createdAt: Date;
  totalTokens: number;
  latencyMs: number;
  status: number;
  errorCode: string | null;
  isFlagged: boolean;
  model: string;
  endUserId: string | null;
}

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? 0;
  const high = sorted[upper] ?? 0;
  return Math.round((low + (high - low) * (position - lower)) * 10) / 10;
}

async function insertRows(rows: Row[]) {
  await db.usageRecord.createMany({
    data: rows.map((row) => ({
      ...row,
      requestId: `req_${randomBytes(6).toString("hex")}`,
      endpoint: "chat.completions",
      promptTokens: Math.floor(row.totalTokens / 3),
      completionTokens: row.totalTokens - Math.floor(row.totalTokens / 3),
    })),
  });
}

/** A deterministic spread of rows over the last `days` days for one key. */
function makeRows({ apiKeyId, organizationId, count, seed }: { apiKeyId: string; organizationId: string; count: number; seed: number }): Row[] {
  return Array.from({ length: count }, (_, index) => {
    const n = index * 7919 + seed;
    const status = n % 5 === 0 ? 429 : n % 7 === 0 ? 500 : 200;
    return {
      apiKeyId,
      organizationId,
      createdAt: new Date(now.getTime() - ((n * 37) % (6 * 86_400)) * 1000),
      totalTokens: (n % 50) + 1,
      latencyMs: (n * 13) % 997,
      status,
      errorCode: status === 429 ? "rate_limit_exceeded" : status === 500 ? (n % 2 === 0 ? "upstream_error" : null) : null,
      isFlagged: n % 11 === 0,
      model: n % 3 === 0 ? "model-b" : "model-a",
      endUserId: n % 4 === 0 ? "user-1" : null,
    };
  });
}

function expected(rows: Row[]) {
  return {
    requests: rows.length,
    tokens: rows.reduce((sum, row) => sum + row.totalTokens, 0),
    errors: rows.filter((row) => row.status >= 400).length,
    flagged: rows.filter((row) => row.isFlagged).length,
    p50: percentile(rows.map((row) => row.latencyMs), 0.5),
    p95: percentile(rows.map((row) => row.latencyMs), 0.95),
  };
}

describe("usage dashboards", () => {
  it("totals, daily buckets, errors by code and p50/p95 equal a direct computation over the rows", async () => {
    const { organization, grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    const rows = makeRows({ apiKeyId: key.id, organizationId: organization.id, count: 240, seed: 3 });
    await insertRows(rows);
    const admin = await createUser({ role: "ADMIN" });

    const report = await getUsageDashboard({ actor: admin, as: "admin", input: { org: organization.id, range: "7d" }, now });
    expect(report.filter.bucket).toBe("day");
    expect(report.series).toHaveLength(7);
    const inRange = rows.filter((row) => row.createdAt >= report.filter.since && row.createdAt < report.filter.until);
    expect(inRange).toHaveLength(rows.length);
    expect(report.totals).toMatchObject(expected(rows));
    for (const point of report.series) {
      const start = new Date(point.at).getTime();
      const bucketRows = rows.filter((row) => row.createdAt.getTime() >= start && row.createdAt.getTime() < start + 86_400_000);
      expect(point, point.at).toEqual({ at: point.at, ...expected(bucketRows) });
    }
    const codes = new Map<string, number>();
    for (const row of rows.filter((candidate) => candidate.status >= 400)) {
      const code = row.errorCode ?? `http_${row.status}`;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect(Object.fromEntries(report.errorsByCode.map((entry) => [entry.code, entry.requests]))).toEqual(Object.fromEntries(codes));

    const failedModelB = await getUsageDashboard({ actor: admin, as: "admin", input: { org: organization.id, range: "7d", model: "model-b", status: "error" }, now });
    expect(failedModelB.totals).toMatchObject(expected(rows.filter((row) => row.model === "model-b" && row.status >= 400)));
    const endUser = await getUsageDashboard({ actor: admin, as: "admin", input: { org: organization.id, endUser: "user-1", status: "429" }, now });
    expect(endUser.totals.requests).toBe(rows.filter((row) => row.endUserId === "user-1" && row.status === 429).length);
  });

  it("a range of a day is drawn per hour, and a custom range counts only its days", async () => {
    const { owner, organization, grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    const rows = makeRows({ apiKeyId: key.id, organizationId: organization.id, count: 80, seed: 11 });
    await insertRows(rows);
    const day = await getUsageDashboard({ actor: owner, as: "member", input: { range: "24h" }, now });
    expect(day.filter.bucket).toBe("hour");
    expect(day.series).toHaveLength(24);
    const lastDay = rows.filter((row) => row.createdAt >= day.filter.since);
    expect(day.totals.requests).toBe(lastDay.length);
    for (const point of day.series) {
      const start = new Date(point.at).getTime();
      expect(point.requests).toBe(lastDay.filter((row) => row.createdAt.getTime() >= start && row.createdAt.getTime() < start + 3_600_000).length);
    }
    const custom = await getUsageDashboard({ actor: owner, as: "member", input: { from: "2026-11-21", to: "2026-11-23" }, now });
    expect(custom.series.map((point) => point.at)).toEqual(["2026-11-21T00:00:00.000Z", "2026-11-22T00:00:00.000Z", "2026-11-23T00:00:00.000Z"]);
    const since = Date.UTC(2026, 10, 21);
    expect(custom.totals).toMatchObject(expected(rows.filter((row) => row.createdAt.getTime() >= since && row.createdAt.getTime() < since + 3 * 86_400_000)));
  });

  it("an applicant sees only their organisations' rows, and a filter on another organisation, application or key is refused", async () => {
    const mine = await createOrganizationWithGrant();
    const myKey = await createTestKey({ grantId: mine.grant.id });
    const other = await createOrganizationWithGrant();
    const otherKey = await createTestKey({ grantId: other.grant.id });
    const myRows = makeRows({ apiKeyId: myKey.id, organizationId: mine.organization.id, count: 30, seed: 5 });
    await insertRows([...myRows, ...makeRows({ apiKeyId: otherKey.id, organizationId: other.organization.id, count: 50, seed: 9 })]);
    const application = await db.application.create({ data: { organizationId: other.organization.id, createdById: other.owner.id, productName: "Theirs" } });

    const report = await getUsageDashboard({ actor: mine.owner, as: "member", input: {}, now });
    expect(report.totals).toMatchObject(expected(myRows));
    expect(report.options.organizations.map((organization) => organization.id)).toEqual([mine.organization.id]);
    expect(report.options.keys.map((key) => key.id)).toEqual([myKey.id]);
    expect(report.quotas.map((quota) => quota.grantId)).toEqual([mine.grant.id]);

    for (const input of [{ org: other.organization.id }, { key: otherKey.id }, { app: application.id }]) {
      await expect(getUsageDashboard({ actor: mine.owner, as: "member", input, now })).rejects.toMatchObject({ kind: "not_found" });
    }
    const outsider = await createUser();
    const empty = await getUsageDashboard({ actor: outsider, as: "member", input: {}, now });
    expect(empty.totals.requests).toBe(0);
    expect(empty.hasOrganizations).toBe(false);
    await expect(getUsageDashboard({ actor: mine.owner, as: "admin", input: {}, now })).rejects.toMatchObject({ kind: "forbidden" });
    const reviewer = await createUser({ role: "REVIEWER" });
    await expect(getUsageDashboard({ actor: reviewer, as: "admin", input: {}, now })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("bad filter values are a clear validation error, not a crash", async () => {
    const { owner } = await createOrganizationWithGrant();
    for (const input of [{ range: "forever" }, { status: "teapot" }, { from: "2026-13-45" }, { from: "2026-11-20", to: "2026-11-01" }, { model: "x".repeat(300) }]) {
      await expect(getUsageDashboard({ actor: owner, as: "member", input, now })).rejects.toMatchObject({ kind: "invalid" });
    }
  });

  it("quota used per grant is this month's tokens of the grant's keys, with its warning level", async () => {
    const { owner, organization, grant } = await createOrganizationWithGrant({ scopes: { ...defaultDevelopmentScopes, monthlyTokenQuota: 1000 } });
    const key = await createTestKey({ grantId: grant.id });
    const base = { apiKeyId: key.id, organizationId: organization.id, latencyMs: 5, status: 200, errorCode: null, isFlagged: false, model: "m", endUserId: null };
    await insertRows([
      { ...base, createdAt: new Date("2026-11-02T00:00:00Z"), totalTokens: 500 },
      { ...base, createdAt: new Date("2026-11-20T00:00:00Z"), totalTokens: 350 },
      { ...base, createdAt: new Date("2026-10-31T23:59:59Z"), totalTokens: 900 },
    ]);
    const report = await getUsageDashboard({ actor: owner, as: "member", input: {}, now });
    expect(report.quotas).toEqual([expect.objectContaining({ grantId: grant.id, used: 850, quota: 1000, level: "warning" })]);
  });
});
