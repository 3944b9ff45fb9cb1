import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { afterRecordsStored } from "@/lib/gateway/after-store";
import type { RecordRow } from "@/lib/gateway/usage";
import { listKeysForUser } from "@/lib/keys/queries";
import { applyAutoSuspension, purgeExpiredExcerpts, purgeExpiredExcerptsHourly } from "@/lib/moderation/enforcement";
import { listModerationEvents, resolveModerationEvent } from "@/lib/moderation/review-queue";
import { getModerationSettings, updateModerationSettings } from "@/lib/moderation/settings";
import { getOrganizationForMember, listRecentWarningsForUser } from "@/lib/organizations/queries";
import { createUser } from "@/tests/support/factories";
import { createModerationEvent, createOrganizationWithGrant, createTestKey } from "@/tests/support/keysui-factories";

const MINUTE = 60_000;

/** What the recorder hands the hook: the moderation rows of a batch just stored (the events already exist). */
async function flag(keyId: string, organizationId: string, count: number, at: Date = new Date()): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  for (let index = 0; index < count; index += 1) {
    const event = await createModerationEvent({ apiKeyId: keyId, organizationId, createdAt: at });
    rows.push({
      kind: "moderation",
      entry: { id: event.id, requestId: event.requestId, apiKeyId: keyId, organizationId, direction: "INPUT", action: "BLOCKED", categories: ["harassment"], scores: { harassment: 0.9 }, excerpt: "x", createdAt: at },
    });
  }
  return rows;
}

async function flaggedKey() {
  const { owner, organization, grant } = await createOrganizationWithGrant();
  const key = await createTestKey({ grantId: grant.id });
  return { owner, organization, key };
}

async function enable(flags: number, minutes: number) {
  const admin = await createUser({ role: "ADMIN" });
  await updateModerationSettings({ actor: admin, input: { autoSuspendEnabled: "on", autoSuspendFlags: String(flags), autoSuspendMinutes: String(minutes), excerptRetentionDays: "30" } });
  return admin;
}

describe("moderation settings", () => {
  it("are off by default, audited when changed, and refused to non-admins", async () => {
    expect(await getModerationSettings()).toMatchObject({ autoSuspendEnabled: false });
    for (const actor of [await createUser({ role: "REVIEWER" }), await createUser()]) {
      await expect(updateModerationSettings({ actor, input: { autoSuspendEnabled: "on", autoSuspendFlags: "1", autoSuspendMinutes: "1", excerptRetentionDays: "1" } })).rejects.toMatchObject({ kind: "forbidden" });
    }
    const admin = await createUser({ role: "ADMIN" });
    await expect(updateModerationSettings({ actor: admin, input: { autoSuspendFlags: "0", autoSuspendMinutes: "5", excerptRetentionDays: "30" } })).rejects.toMatchObject({ kind: "invalid", fieldErrors: { autoSuspendFlags: expect.any(Array) } });
    expect(await db.auditLog.count({ where: { action: "settings.moderation.updated" } })).toBe(0);
  });
});

describe("automatic suspension", () => {
  it("does nothing while off (the default), however many flags", async () => {
    const { organization, key } = await flaggedKey();
    expect(await applyAutoSuspension(await flag(key.id, organization.id, 20))).toEqual([]);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).suspendedAt).toBeNull();
  });

  it("suspends at the threshold and not below it, counting only the last M minutes; audited as system, both sides told", async () => {
    await enable(3, 10);
    const { owner, organization, key } = await flaggedKey();
    // Two old flags are outside the window and do not count.
    await flag(key.id, organization.id, 2, new Date(Date.now() - 11 * MINUTE));
    expect(await applyAutoSuspension(await flag(key.id, organization.id, 2))).toEqual([]);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).suspendedAt).toBeNull();
    expect(await applyAutoSuspension(await flag(key.id, organization.id, 1))).toEqual([key.id]);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.suspendedAt).not.toBeNull();
    expect(row.suspendedReason).toBe("automatic: 3 flags in 10 minutes");
    const audit = await db.auditLog.findMany({ where: { targetId: key.id, action: "key.suspended" } });
    expect(audit).toMatchObject([{ actorId: null, data: { reason: "automatic: 3 flags in 10 minutes", flags: 3, minutes: 10 } }]);
    expect(await db.notification.count({ where: { userId: owner.id, title: { contains: "was suspended" } } })).toBe(1);
    const admins = await db.user.findMany({ where: { role: "ADMIN", status: "ACTIVE" }, select: { id: true } });
    expect(await db.notification.count({ where: { userId: { in: admins.map((admin) => admin.id) }, title: { contains: "suspended automatically" } } })).toBe(admins.length);
    // The applicant sees the suspension and its reason.
    const [view] = await listKeysForUser({ actor: owner });
    expect(view?.grants[0]?.keys[0]).toMatchObject({ suspendedReason: "automatic: 3 flags in 10 minutes", state: { status: "suspended", byOrganization: false } });
    // Already suspended: later flags change nothing.
    expect(await applyAutoSuspension(await flag(key.id, organization.id, 1))).toEqual([]);
  });

  it("two batches at once suspend once and notify once", async () => {
    await enable(2, 10);
    const { owner, organization, key } = await flaggedKey();
    const first = await flag(key.id, organization.id, 1);
    const second = await flag(key.id, organization.id, 1);
    const results = await Promise.all([applyAutoSuspension(first), applyAutoSuspension(second), applyAutoSuspension([...first, ...second])]);
    expect(results.flat()).toEqual([key.id]);
    expect(await db.auditLog.count({ where: { targetId: key.id, action: "key.suspended" } })).toBe(1);
    expect(await db.notification.count({ where: { userId: owner.id, title: { contains: "was suspended" } } })).toBe(1);
  });

  it("runs from the gateway's hook after each stored batch", async () => {
    await enable(2, 10);
    const { organization, key } = await flaggedKey();
    await afterRecordsStored(await flag(key.id, organization.id, 2));
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ suspendedReason: "automatic: 2 flags in 10 minutes" });
  });

  it("leaves a revoked key alone", async () => {
    await enable(1, 10);
    const { organization, key } = await flaggedKey();
    await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date(), revokedReason: "x" } });
    expect(await applyAutoSuspension(await flag(key.id, organization.id, 3))).toEqual([]);
  });
});

describe("excerpt retention", () => {
  it("empties excerpts older than the retention and keeps newer ones and the events", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await updateModerationSettings({ actor: admin, input: { autoSuspendFlags: "5", autoSuspendMinutes: "10", excerptRetentionDays: "7" } });
    const tag = randomBytes(3).toString("hex");
    const old = await createModerationEvent({ createdAt: new Date(Date.now() - 8 * 86_400_000), excerpt: `old ${tag}` });
    const recent = await createModerationEvent({ createdAt: new Date(Date.now() - 6 * 86_400_000), excerpt: `recent ${tag}` });
    expect(await purgeExpiredExcerpts()).toBeGreaterThanOrEqual(1);
    expect((await db.moderationEvent.findUniqueOrThrow({ where: { id: old.id } })).excerpt).toBe("");
    expect((await db.moderationEvent.findUniqueOrThrow({ where: { id: recent.id } })).excerpt).toBe(`recent ${tag}`);
    expect(await db.auditLog.count({ where: { action: "moderation.excerpts_purged" } })).toBeGreaterThanOrEqual(1);
    expect(await purgeExpiredExcerpts()).toBe(0);
  });

  it("runs at most once an hour from the hook", async () => {
    // Later than any run before it in this process (the hook above ran it too).
    const now = new Date(Date.now() + 10 * 86_400_000);
    expect(await purgeExpiredExcerptsHourly(now)).not.toBeNull();
    expect(await purgeExpiredExcerptsHourly(new Date(now.getTime() + 59 * MINUTE))).toBeNull();
    expect(await purgeExpiredExcerptsHourly(new Date(now.getTime() + 61 * MINUTE))).not.toBeNull();
  });
});

describe("acting on flagged content", () => {
  async function setup() {
    const admin = await createUser({ role: "ADMIN" });
    const { owner, organization, key } = await flaggedKey();
    const event = await createModerationEvent({ apiKeyId: key.id, organizationId: organization.id, excerpt: "x".repeat(500) });
    return { admin, owner, organization, key, event };
  }

  it("every action is refused to reviewers and applicants (even members of the organisation)", async () => {
    const { owner, event, key } = await setup();
    for (const actor of [owner, await createUser({ role: "REVIEWER" }), await createUser({ role: "ADMIN", status: "SUSPENDED" })]) {
      for (const resolution of ["dismiss", "warn", "suspend_key", "suspend_organization", "revoke_key"]) {
        await expect(resolveModerationEvent({ actor, input: { eventId: event.id, resolution, reason: "r" } })).rejects.toMatchObject({ kind: "forbidden" });
      }
    }
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ suspendedAt: null, revokedAt: null });
  });

  it("shows scores, key, organisation, end user and a bounded excerpt", async () => {
    const { admin, organization, key, event } = await setup();
    await db.usageRecord.create({ data: { requestId: event.requestId, apiKeyId: key.id, organizationId: organization.id, endUserId: "end-user-42", endpoint: "chat.completions", model: "m", status: 400 } });
    const { events } = await listModerationEvents({ actor: admin, input: {} });
    const row = events.find((candidate) => candidate.id === event.id);
    expect(row).toMatchObject({ keyId: key.id, keyStatus: "active", organizationId: organization.id, endUserId: "end-user-42", scores: [{ category: "harassment", score: 0.9 }] });
    expect(row?.excerpt.length).toBe(281);
  });

  it("suspend and revoke need a reason; each action is audited, notified and resolves the item", async () => {
    const { admin, owner, organization, key, event } = await setup();
    await expect(resolveModerationEvent({ actor: admin, input: { eventId: event.id, resolution: "suspend_key", reason: " " } })).rejects.toMatchObject({ kind: "invalid", fieldErrors: { reason: expect.any(Array) } });

    await resolveModerationEvent({ actor: admin, input: { eventId: event.id, resolution: "warn", reason: "Stop sending threats." } });
    const membersView = await getOrganizationForMember({ actor: owner, organizationId: organization.id });
    expect(membersView.warnings.map((warning) => warning.message)).toEqual(["Stop sending threats."]);
    expect((await listRecentWarningsForUser({ actor: owner })).map((warning) => warning.organization.name)).toEqual([organization.name]);
    expect(await db.notification.count({ where: { userId: owner.id, body: "Stop sending threats." } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "organization.warned", targetId: organization.id, actorId: admin.id } })).toBe(1);

    await resolveModerationEvent({ actor: admin, input: { eventId: event.id, resolution: "suspend_key", reason: "Repeated threats" } });
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ suspendedReason: "Repeated threats" });
    expect(await db.auditLog.findFirst({ where: { action: "key.suspended", targetId: key.id } })).toMatchObject({ actorId: admin.id, data: { reason: "Repeated threats" } });

    await resolveModerationEvent({ actor: admin, input: { eventId: event.id, resolution: "suspend_organization", reason: "Abuse of the API" } });
    const suspendedView = await getOrganizationForMember({ actor: owner, organizationId: organization.id });
    expect(suspendedView.organization).toMatchObject({ suspendedReason: "Abuse of the API", suspendedAt: expect.any(Date) });
    const [keysView] = await listKeysForUser({ actor: owner });
    expect(keysView?.suspendedReason).toBe("Abuse of the API");
    expect(await db.notification.count({ where: { userId: owner.id, body: { contains: "Reason: Abuse of the API" } } })).toBe(1);

    await resolveModerationEvent({ actor: admin, input: { eventId: event.id, resolution: "revoke_key", reason: "Key used for abuse" } });
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ revokedReason: "Key used for abuse" });
    expect(await db.auditLog.count({ where: { action: "key.revoked", targetId: key.id } })).toBe(1);

    const resolved = await db.auditLog.findMany({ where: { action: "moderation.resolved", targetId: event.id }, orderBy: { createdAt: "asc" } });
    expect(resolved.map((entry) => (entry.data as { resolution: string }).resolution)).toEqual(["warned", "key_suspended", "organization_suspended", "key_revoked"]);
    expect(await db.moderationEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ resolution: "key_revoked", reviewedById: admin.id });
    // Resolved already: dismissing is refused.
    await expect(resolveModerationEvent({ actor: admin, input: { eventId: event.id, resolution: "dismiss" } })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("dismissing needs no reason, is audited and leaves the awaiting view", async () => {
    const { admin, event } = await setup();
    await resolveModerationEvent({ actor: admin, input: { eventId: event.id, resolution: "dismiss" } });
    expect(await db.auditLog.count({ where: { action: "moderation.resolved", targetId: event.id, actorId: admin.id } })).toBe(1);
    const { events } = await listModerationEvents({ actor: admin, input: { view: "unreviewed" } });
    expect(events.map((row) => row.id)).not.toContain(event.id);
  });
});
