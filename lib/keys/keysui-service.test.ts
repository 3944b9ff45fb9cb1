import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createApiKey, MAX_KEYS_PER_GRANT, renameApiKey, revokeApiKey, rotateApiKey } from "@/lib/keys/service";
import { listKeysForUser } from "@/lib/keys/queries";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWithGrant, createTestKey } from "@/tests/support/keysui-factories";

describe("applicant key actions", () => {
  it("an applicant of another organisation gets not_found for every key action and sees none of its keys", async () => {
    const { grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    const outsider = await createUser();
    await expect(createApiKey({ actor: outsider, input: { grantId: grant.id, name: "Mine" } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(renameApiKey({ actor: outsider, input: { keyId: key.id, name: "Mine" } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(rotateApiKey({ actor: outsider, input: { keyId: key.id, graceHours: 1 } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(revokeApiKey({ actor: outsider, input: { keyId: key.id } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(listKeysForUser({ actor: outsider })).resolves.toEqual([]);
    const untouched = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(untouched).toMatchObject({ name: "Test key", revokedAt: null, graceUntil: null });
  });

  it("creates a key whose secret is returned once and only its hash and prefix are stored", async () => {
    const { owner, grant } = await createOrganizationWithGrant();
    const issued = await createApiKey({ actor: owner, input: { grantId: grant.id, name: "Staging" } });
    expect(issued.secret).toMatch(/^gk_dev_/);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.prefix).toBe(issued.secret.slice(0, 11));
    expect(row.hash).not.toContain(issued.secret);
    expect(JSON.stringify(row)).not.toContain(issued.secret);
  });

  it("enforces the per-grant cap on active keys", async () => {
    const { owner, grant } = await createOrganizationWithGrant();
    for (let index = 0; index < MAX_KEYS_PER_GRANT; index += 1) {
      await createApiKey({ actor: owner, input: { grantId: grant.id, name: `Key ${index}` } });
    }
    await expect(createApiKey({ actor: owner, input: { grantId: grant.id, name: "One too many" } })).rejects.toMatchObject({ kind: "conflict" });
    const [organization] = await listKeysForUser({ actor: owner });
    expect(organization?.grants[0]).toMatchObject({ activeCount: MAX_KEYS_PER_GRANT, canCreate: false });
  });

  it("rejects a rotation grace period over 24 hours or below zero", async () => {
    const { owner, grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    await expect(rotateApiKey({ actor: owner, input: { keyId: key.id, graceHours: 25 } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { graceHours: ["The grace period is at most 24 hours."] },
    });
    await expect(rotateApiKey({ actor: owner, input: { keyId: key.id, graceHours: -1 } })).rejects.toMatchObject({ kind: "invalid" });
  });

  it("rotation keeps the old key in grace and shows both on the keys page", async () => {
    const { owner, grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id, name: "Prod" });
    const before = Date.now();
    const next = await rotateApiKey({ actor: owner, input: { keyId: key.id, graceHours: "2" } });
    const [organization] = await listKeysForUser({ actor: owner });
    const keys = organization?.grants[0]?.keys ?? [];
    const old = keys.find((row) => row.id === key.id);
    expect(keys.find((row) => row.id === next.id)?.state).toEqual({ status: "active" });
    expect(old?.state.status).toBe("grace");
    if (old?.state.status === "grace") {
      expect(old.state.until.getTime()).toBeGreaterThanOrEqual(before + 2 * 3_600_000 - 1000);
      expect(old.state.until.getTime()).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
    }
  });

  it("an admin's revocation requires a reason, which the applicant then sees", async () => {
    const { owner, grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    const admin = await createUser({ role: "ADMIN" });
    await expect(revokeApiKey({ actor: admin, input: { keyId: key.id, reason: "  " } })).rejects.toMatchObject({ kind: "invalid" });
    await revokeApiKey({ actor: admin, input: { keyId: key.id, reason: "Leaked in a public repository." } });
    const [organization] = await listKeysForUser({ actor: owner });
    expect(organization?.grants[0]?.keys[0]?.state).toEqual({ status: "revoked", reason: "Leaked in a public repository." });
  });
});
