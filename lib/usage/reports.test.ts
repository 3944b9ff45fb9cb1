import { describe, expect, it } from "vitest";
import { getMonthlyUsageByOrganization, getUsageForUser, usageWindow } from "@/lib/usage/reports";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWithGrant, createTestKey, createUsageRecord } from "@/tests/support/keysui-factories";

const now = new Date("2026-11-25T12:00:00Z");
const daysAgo = (days: number, hour = 10) => new Date(Date.UTC(2026, 10, 25 - days, hour));

describe("usage reports", () => {
  it("the window is the last 30 UTC days, oldest first", () => {
    const { since, days } = usageWindow(now);
    expect(days).toHaveLength(30);
    expect(days[0]).toBe("2026-10-27");
    expect(days[29]).toBe("2026-11-25");
    expect(since.toISOString()).toBe("2026-10-27T00:00:00.000Z");
  });

  it("aggregates requests and tokens per day, per organisation and per key, ignoring older rows and other organisations", async () => {
    const { owner, organization, grant } = await createOrganizationWithGrant();
    const a = await createTestKey({ grantId: grant.id, name: "A" });
    const b = await createTestKey({ grantId: grant.id, name: "B" });
    const other = await createOrganizationWithGrant();
    const otherKey = await createTestKey({ grantId: other.grant.id });
    await createUsageRecord({ apiKeyId: a.id, organizationId: organization.id, createdAt: daysAgo(0), totalTokens: 10 });
    await createUsageRecord({ apiKeyId: a.id, organizationId: organization.id, createdAt: daysAgo(0, 23), totalTokens: 5 });
    await createUsageRecord({ apiKeyId: b.id, organizationId: organization.id, createdAt: daysAgo(3), totalTokens: 7 });
    await createUsageRecord({ apiKeyId: a.id, organizationId: organization.id, createdAt: daysAgo(30), totalTokens: 1000 });
    await createUsageRecord({ apiKeyId: otherKey.id, organizationId: other.organization.id, createdAt: daysAgo(0), totalTokens: 99 });

    const report = await getUsageForUser({ actor: owner, input: {}, now });
    expect(report.organizations).toHaveLength(1);
    const org = report.organizations[0];
    expect(org?.totals).toEqual({ requests: 3, tokens: 22 });
    expect(org?.daily.find((day) => day.day === "2026-11-25")).toEqual({ day: "2026-11-25", requests: 2, tokens: 15 });
    expect(org?.daily.find((day) => day.day === "2026-11-22")).toEqual({ day: "2026-11-22", requests: 1, tokens: 7 });
    expect(org?.perKey.map((key) => [key.name, key.requests, key.tokens])).toEqual([
      ["A", 2, 15],
      ["B", 1, 7],
    ]);

    const onlyB = await getUsageForUser({ actor: owner, input: { keyId: b.id }, now });
    expect(onlyB.selectedKey?.id).toBe(b.id);
    expect(onlyB.organizations[0]?.totals).toEqual({ requests: 1, tokens: 7 });
  });

  it("another organisation's key is not found, and a user without organisations gets an empty report", async () => {
    const other = await createOrganizationWithGrant();
    const otherKey = await createTestKey({ grantId: other.grant.id });
    const outsider = await createUser();
    await expect(getUsageForUser({ actor: outsider, input: { keyId: otherKey.id }, now })).rejects.toMatchObject({ kind: "not_found" });
    await expect(getUsageForUser({ actor: outsider, input: {}, now })).resolves.toMatchObject({ organizations: [] });
  });

  it("admins see this month's totals per organisation; others are forbidden", async () => {
    const { organization, grant } = await createOrganizationWithGrant({ name: "Monthly Co" });
    const key = await createTestKey({ grantId: grant.id });
    await createUsageRecord({ apiKeyId: key.id, organizationId: organization.id, createdAt: new Date("2026-11-01T00:00:00Z"), totalTokens: 40 });
    await createUsageRecord({ apiKeyId: key.id, organizationId: organization.id, createdAt: new Date("2026-11-20T00:00:00Z"), totalTokens: 2 });
    await createUsageRecord({ apiKeyId: key.id, organizationId: organization.id, createdAt: new Date("2026-10-31T23:59:59Z"), totalTokens: 500 });
    const admin = await createUser({ role: "ADMIN" });
    const report = await getMonthlyUsageByOrganization({ actor: admin, now });
    expect(report.since.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(report.rows.find((row) => row.organizationId === organization.id)).toMatchObject({ name: "Monthly Co", requests: 2, totalTokens: 42, promptTokens: 21, completionTokens: 21 });
    for (const role of ["REVIEWER", "APPLICANT"] as const) {
      const actor = await createUser({ role });
      await expect(getMonthlyUsageByOrganization({ actor, now })).rejects.toMatchObject({ kind: "forbidden" });
    }
  });
});
