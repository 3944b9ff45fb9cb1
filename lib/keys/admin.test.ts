import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { revokeApiKeyAsAdmin, setApiKeySuspension, setOrganizationApiAccess } from "@/lib/keys/admin";
import { listAllKeys, listKeysForUser, listOrganizationsForAdmin } from "@/lib/keys/queries";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWithGrant, createTestKey } from "@/tests/support/keysui-factories";

describe("admin key controls", () => {
  it("reviewers and applicants are forbidden every admin function", async () => {
    const { owner, organization, grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    const reviewer = await createUser({ role: "REVIEWER" });
    for (const actor of [reviewer, owner]) {
      await expect(revokeApiKeyAsAdmin({ actor, input: { keyId: key.id, reason: "x" } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(setApiKeySuspension({ actor, input: { keyId: key.id, action: "suspend" } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(setOrganizationApiAccess({ actor, input: { organizationId: organization.id, action: "suspend" } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(listAllKeys({ actor, input: {} })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(listOrganizationsForAdmin({ actor, input: {} })).rejects.toMatchObject({ kind: "forbidden" });
    }
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ revokedAt: null, suspendedAt: null });
  });

  it("a suspended admin is forbidden too", async () => {
    const { grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    const admin = await createUser({ role: "ADMIN", status: "SUSPENDED" });
    await expect(setApiKeySuspension({ actor: admin, input: { keyId: key.id, action: "suspend" } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("admin revocation requires a reason, records it, and notifies the organisation", async () => {
    const { owner, grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    const admin = await createUser({ role: "ADMIN" });
    await expect(revokeApiKeyAsAdmin({ actor: admin, input: { keyId: key.id, reason: "" } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { reason: ["Give a reason: the key's owners will see it."] },
    });
    await revokeApiKeyAsAdmin({ actor: admin, input: { keyId: key.id, reason: "Abuse report #12" } });
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row).toMatchObject({ revokedReason: "Abuse report #12", revokedById: admin.id });
    const notifications = await db.notification.findMany({ where: { userId: owner.id } });
    expect(notifications.map((notification) => notification.body).join(" ")).toContain("Abuse report #12");
    const audit = await db.auditLog.findFirst({ where: { targetId: key.id, action: "key.revoked" } });
    expect(audit?.actorId).toBe(admin.id);
  });

  it("suspends and reinstates a key with audit records and refuses a repeat", async () => {
    const { owner, grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    const admin = await createUser({ role: "ADMIN" });
    await setApiKeySuspension({ actor: admin, input: { keyId: key.id, action: "suspend" } });
    await expect(setApiKeySuspension({ actor: admin, input: { keyId: key.id, action: "suspend" } })).rejects.toMatchObject({ kind: "conflict" });
    let [organization] = await listKeysForUser({ actor: owner });
    expect(organization?.grants[0]?.keys[0]?.state).toEqual({ status: "suspended", byOrganization: false });
    await setApiKeySuspension({ actor: admin, input: { keyId: key.id, action: "reinstate" } });
    [organization] = await listKeysForUser({ actor: owner });
    expect(organization?.grants[0]?.keys[0]?.state).toEqual({ status: "active" });
    const actions = (await db.auditLog.findMany({ where: { targetId: key.id }, orderBy: { createdAt: "asc" } })).map((entry) => entry.action);
    expect(actions).toEqual(["key.created", "key.suspended", "key.reinstated"]);
    await expect(setApiKeySuspension({ actor: admin, input: { keyId: "missing", action: "suspend" } })).rejects.toMatchObject({ kind: "not_found" });
  });

  it("suspends and reinstates an organisation's API access with audit records", async () => {
    const { owner, organization, grant } = await createOrganizationWithGrant();
    await createTestKey({ grantId: grant.id });
    const admin = await createUser({ role: "ADMIN" });
    await setOrganizationApiAccess({ actor: admin, input: { organizationId: organization.id, action: "suspend" } });
    const [view] = await listKeysForUser({ actor: owner });
    expect(view?.suspendedAt).not.toBeNull();
    expect(view?.grants[0]?.keys[0]?.state).toEqual({ status: "suspended", byOrganization: true });
    await expect(setOrganizationApiAccess({ actor: admin, input: { organizationId: organization.id, action: "suspend" } })).rejects.toMatchObject({ kind: "conflict" });
    await setOrganizationApiAccess({ actor: admin, input: { organizationId: organization.id, action: "reinstate" } });
    const row = await db.organization.findUniqueOrThrow({ where: { id: organization.id } });
    expect(row.suspendedAt).toBeNull();
    const actions = (await db.auditLog.findMany({ where: { targetId: organization.id }, orderBy: { createdAt: "asc" } })).map((entry) => entry.action);
    expect(actions).toEqual(["organization.api_suspended", "organization.api_reinstated"]);
  });

  it("lists every key with search, status filter and pagination", async () => {
    const tag = `Zq${Date.now().toString(36)}`;
    const { organization, grant } = await createOrganizationWithGrant({ name: `${tag} Org` });
    const admin = await createUser({ role: "ADMIN" });
    const active = await createTestKey({ grantId: grant.id, name: "alpha" });
    const revoked = await createTestKey({ grantId: grant.id, name: "beta" });
    const suspended = await createTestKey({ grantId: grant.id, name: "gamma" });
    const rotated = await createTestKey({ grantId: grant.id, name: "delta" });
    await revokeApiKeyAsAdmin({ actor: admin, input: { keyId: revoked.id, reason: "test" } });
    await setApiKeySuspension({ actor: admin, input: { keyId: suspended.id, action: "suspend" } });
    await db.apiKey.update({ where: { id: rotated.id }, data: { graceUntil: new Date(Date.now() - 1000) } });

    const all = await listAllKeys({ actor: admin, input: { q: tag } });
    expect(all.total).toBe(4);
    const ids = async (status: string) => (await listAllKeys({ actor: admin, input: { q: tag, status } })).keys.map((key) => key.id);
    expect(await ids("active")).toEqual([active.id]);
    expect(await ids("revoked")).toEqual([revoked.id]);
    expect(await ids("suspended")).toEqual([suspended.id]);
    expect(await ids("expired")).toEqual([rotated.id]);
    expect(await ids("grace")).toEqual([]);
    expect((await listAllKeys({ actor: admin, input: { q: active.prefix } })).keys.map((key) => key.id)).toEqual([active.id]);
    expect((await listAllKeys({ actor: admin, input: { q: tag, page: 2 } })).keys).toEqual([]);

    const orgs = await listOrganizationsForAdmin({ actor: admin, input: { q: tag } });
    expect(orgs.organizations).toEqual([expect.objectContaining({ id: organization.id, keyCount: 4, memberCount: 1 })]);
  });

  it("a key under an expired grant is listed as expired", async () => {
    const { grant } = await createOrganizationWithGrant({
      name: `Expired ${Date.now().toString(36)}`,
      scopes: { ...(await import("@/lib/keys/scopes")).defaultDevelopmentScopes, expiresAt: "2020-01-01T00:00:00Z" },
    });
    const key = await createTestKey({ grantId: grant.id });
    const admin = await createUser({ role: "ADMIN" });
    const result = await listAllKeys({ actor: admin, input: { q: key.prefix, status: "expired" } });
    expect(result.keys.map((row) => [row.id, row.state.status])).toEqual([[key.id, "expired"]]);
  });
});
