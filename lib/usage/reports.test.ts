import { describe, expect, it } from "vitest";
import { getMonthlyUsageByOrganization } from "@/lib/usage/reports";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWithGrant, createTestKey, createUsageRecord } from "@/tests/support/keysui-factories";

const now = new Date("2026-11-25T12:00:00Z");

describe("usage reports", () => {
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
