import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey } from "@/tests/support/gateway-factories";
import { authenticateKey, bearerSecret, LAST_USED_RESOLUTION_MS } from "./authenticate";
import { isRefusal, viewOf } from "./refusals";

const bearer = (secret: string) => `Bearer ${secret}`;

async function refusal(authorization: string | null) {
  return authenticateKey({ authorization }).then(() => null, (error: unknown) => error);
}

async function waitForLastUsed(keyId: string): Promise<Date | null> {
  for (let i = 0; i < 100; i++) {
    const key = await db.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    if (key.lastUsedAt) return key.lastUsedAt;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return null;
}

describe("authenticateKey", () => {
  it("reads a Bearer secret", () => {
    expect(bearerSecret("Bearer abc")).toBe("abc");
    expect(bearerSecret("bearer  abc ")).toBe("abc");
    expect(bearerSecret("Basic abc")).toBeNull();
    expect(bearerSecret(null)).toBeNull();
  });

  it("returns the key, its organisation and the grant's scopes, and notes its use", async () => {
    const key = await createTestKey({ requestsPerMinute: 9 });
    const context = await authenticateKey({ authorization: bearer(key.secret) });
    expect(context).toMatchObject({ keyId: key.keyId, organizationId: key.organizationId, grantId: key.grantId, scopes: { requestsPerMinute: 9 } });
    expect(await waitForLastUsed(key.keyId)).not.toBeNull();
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const key = await createTestKey();
    const recent = new Date(Date.now() - LAST_USED_RESOLUTION_MS / 2);
    await db.apiKey.update({ where: { id: key.keyId }, data: { lastUsedAt: recent } });
    await authenticateKey({ authorization: bearer(key.secret) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.keyId } })).lastUsedAt).toEqual(recent);
  });

  it("refuses every unusable key with the same invalid_api_key error", async () => {
    const cases: string[] = [];
    const revoked = await createTestKey();
    await db.apiKey.update({ where: { id: revoked.keyId }, data: { revokedAt: new Date() } });
    const graceOver = await createTestKey();
    await db.apiKey.update({ where: { id: graceOver.keyId }, data: { graceUntil: new Date(Date.now() - 1) } });
    const suspended = await createTestKey();
    await db.apiKey.update({ where: { id: suspended.keyId }, data: { suspendedAt: new Date() } });
    const orgSuspended = await createTestKey();
    await db.organization.update({ where: { id: orgSuspended.organizationId }, data: { suspendedAt: new Date() } });
    const grantRevoked = await createTestKey();
    await db.keyGrant.update({ where: { id: grantRevoked.grantId }, data: { revokedAt: new Date() } });
    const expired = await createTestKey({ expiresAt: new Date(Date.now() - 1).toISOString() });
    // Scopes no form would store (an operator's SQL): the key is unusable, not a 500.
    const unreadable = await createTestKey();
    await db.$executeRaw`UPDATE "KeyGrant" SET scopes = scopes || '{"models": [], "requestsPerMinute": "many"}'::jsonb WHERE id = ${unreadable.grantId}`;
    cases.push(revoked.secret, graceOver.secret, suspended.secret, orgSuspended.secret, grantRevoked.secret, expired.secret, unreadable.secret, `gk_live_${"b".repeat(43)}`, "gk_dev_short");
    const errors = await Promise.all([refusal(null), refusal("Bearer"), ...cases.map((secret) => refusal(bearer(secret)))]);
    const views = errors.map((error) => {
      expect(isRefusal(error)).toBe(true);
      return viewOf(error, "req_auth");
    });
    for (const view of views) expect(view).toMatchObject({ status: 401, code: "invalid_api_key", body: { error: { type: "authentication_error" } } });
    expect(new Set(views.map((view) => view.body.error.message)).size).toBe(1);
  });

  it("accepts a rotated key until its grace period ends", async () => {
    const key = await createTestKey();
    await db.apiKey.update({ where: { id: key.keyId }, data: { graceUntil: new Date(Date.now() + 60_000) } });
    await expect(authenticateKey({ authorization: bearer(key.secret) })).resolves.toMatchObject({ keyId: key.keyId });
  });
});
