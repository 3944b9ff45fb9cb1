import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { listModerationEvents, markModerationEventReviewed, MODERATION_PAGE_SIZE, resolveModerationEvent } from "@/lib/moderation/review-queue";
import { createUser } from "@/tests/support/factories";
import { createModerationEvent, createOrganizationWithGrant, createTestKey } from "@/tests/support/keysui-factories";

describe("moderation review queue", () => {
  it("lists flagged items newest first with organisation and key prefix, and pages them", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { organization, grant } = await createOrganizationWithGrant({ name: "Flagged Org" });
    const key = await createTestKey({ grantId: grant.id });
    const older = await createModerationEvent({ apiKeyId: key.id, organizationId: organization.id, createdAt: new Date(Date.now() - 60_000), excerpt: "older" });
    const newer = await createModerationEvent({ apiKeyId: key.id, organizationId: organization.id, excerpt: "newer" });
    const result = await listModerationEvents({ actor: admin, input: {} });
    expect(result.events.map((event) => event.id).slice(0, 2)).toEqual([newer.id, older.id]);
    expect(result.events[0]).toMatchObject({ organizationName: "Flagged Org", keyPrefix: key.prefix, direction: "INPUT", action: "BLOCKED", categories: ["harassment"] });
    for (let index = 0; index < MODERATION_PAGE_SIZE; index += 1) await createModerationEvent();
    const second = await listModerationEvents({ actor: admin, input: { page: "2" } });
    expect(second.pageCount).toBe(2);
    expect(second.events.map((event) => event.id)).toEqual([newer.id, older.id]);
  });

  it("marks an item reviewed with an audit record; it leaves the unreviewed view", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const event = await createModerationEvent();
    await markModerationEventReviewed({ actor: admin, input: { eventId: event.id } });
    await expect(markModerationEventReviewed({ actor: admin, input: { eventId: event.id } })).rejects.toMatchObject({ kind: "conflict" });
    const unreviewed = await listModerationEvents({ actor: admin, input: { view: "unreviewed" } });
    expect(unreviewed.events.map((row) => row.id)).not.toContain(event.id);
    const all = await listModerationEvents({ actor: admin, input: { view: "all" } });
    expect(all.events.find((row) => row.id === event.id)).toMatchObject({ reviewedBy: admin.email });
    expect(await db.auditLog.count({ where: { targetId: event.id, action: "moderation.reviewed" } })).toBe(1);
  });

  it("reviewers and applicants are forbidden", async () => {
    const event = await createModerationEvent();
    for (const role of ["REVIEWER", "APPLICANT"] as const) {
      const actor = await createUser({ role });
      await expect(listModerationEvents({ actor, input: {} })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(markModerationEventReviewed({ actor, input: { eventId: event.id } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(resolveModerationEvent({ actor, input: { eventId: event.id, resolution: "dismiss" } })).rejects.toMatchObject({ kind: "forbidden" });
    }
  });
});
