import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { afterRecordsStored } from "@/lib/gateway/after-store";
import type { RecordRow } from "@/lib/gateway/usage";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { notifyQuotaThresholds } from "@/lib/usage/quota-warnings";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWithGrant, createTestKey } from "@/tests/support/keysui-factories";

const now = new Date("2026-11-25T12:00:00Z");

/** Stores one usage row (as the recorder would) and returns it as the hook receives it. */
async function store({ apiKeyId, organizationId, totalTokens, createdAt = now }: { apiKeyId: string; organizationId: string; totalTokens: number; createdAt?: Date }): Promise<RecordRow> {
  const entry = {
    id: `u_${randomBytes(8).toString("hex")}`,
    requestId: `req_${randomBytes(6).toString("hex")}`,
    apiKeyId,
    organizationId,
    endUserId: null,
    endpoint: "chat.completions",
    model: "gatehouse-ngram",
    promptTokens: 0,
    completionTokens: totalTokens,
    totalTokens,
    latencyMs: 10,
    status: 200,
    errorCode: null,
    isFlagged: false,
    createdAt,
  };
  await db.usageRecord.create({ data: entry });
  return { kind: "usage", entry };
}

async function setup() {
  const org = await createOrganizationWithGrant({ scopes: { ...defaultDevelopmentScopes, monthlyTokenQuota: 1000 } });
  const member = await createUser();
  await db.membership.create({ data: { organizationId: org.organization.id, userId: member.id, role: "MEMBER" } });
  const key = await createTestKey({ grantId: org.grant.id });
  const outsider = await createUser();
  return { ...org, member, key, outsider, ids: { apiKeyId: key.id, organizationId: org.organization.id } };
}

const notificationsOf = (userId: string) => db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { title: true, body: true } });

describe("quota warnings", () => {
  it("warns every member at 80 % and at 100 %, once each, and not below 80 %", async () => {
    const { owner, member, outsider, grant, ids } = await setup();
    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 790 })], now)).toEqual([]);
    expect(await notificationsOf(owner.id)).toEqual([]);

    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 10 })], now)).toEqual([{ grantId: grant.id, threshold: 80 }]);
    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 10 })], now)).toEqual([]);
    for (const user of [owner, member]) {
      const notifications = await notificationsOf(user.id);
      expect(notifications).toHaveLength(1);
      expect(notifications[0]?.title).toBe("Monthly token quota 80 % used");
      expect(notifications[0]?.body).toContain("800 of its 1,000 monthly tokens");
    }
    expect(await db.outboxEmail.count({ where: { to: owner.email, subject: "[Gatehouse] Monthly token quota 80 % used" } })).toBe(1);

    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 200 })], now)).toEqual([{ grantId: grant.id, threshold: 100 }]);
    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 5 })], now)).toEqual([]);
    expect((await notificationsOf(member.id)).map((notification) => notification.title)).toEqual(["Monthly token quota 80 % used", "Monthly token quota used up"]);
    expect(await notificationsOf(outsider.id)).toEqual([]);
    expect(await db.quotaWarning.count({ where: { grantId: grant.id } })).toBe(2);
  });

  it("last month's tokens do not count, and a new month warns again", async () => {
    const { owner, ids } = await setup();
    await store({ ...ids, totalTokens: 950, createdAt: new Date("2026-10-30T00:00:00Z") });
    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 100 })], now)).toEqual([]);
    const december = new Date("2026-12-02T00:00:00Z");
    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 850, createdAt: december })], december)).toHaveLength(1);
    expect(await notificationsOf(owner.id)).toHaveLength(1);
  });

  it("a batch crossing both thresholds sends only the 100 % notice", async () => {
    const { owner, grant, ids } = await setup();
    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 600 }), await store({ ...ids, totalTokens: 600 })], now)).toEqual([{ grantId: grant.id, threshold: 100 }]);
    expect((await notificationsOf(owner.id)).map((notification) => notification.title)).toEqual(["Monthly token quota used up"]);
    expect(await notifyQuotaThresholds([await store({ ...ids, totalTokens: 1 })], now)).toEqual([]);
  });

  it("concurrent batches notify once", async () => {
    const { owner, ids } = await setup();
    const rows = [await store({ ...ids, totalTokens: 850 })];
    const results = await Promise.all(Array.from({ length: 6 }, () => notifyQuotaThresholds(rows, now)));
    expect(results.flat()).toHaveLength(1);
    expect(await notificationsOf(owner.id)).toHaveLength(1);
  });

  it("the gateway's hook after each stored batch sends the warning", async () => {
    const { owner, ids } = await setup();
    await afterRecordsStored([await store({ ...ids, totalTokens: 900, createdAt: new Date() })]);
    expect((await notificationsOf(owner.id)).map((notification) => notification.title)).toEqual(["Monthly token quota 80 % used"]);
  });
});
