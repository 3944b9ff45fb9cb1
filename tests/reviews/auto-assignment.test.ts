import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { CHANGED_SINCE_PREVIEW, confirmAutoAssignment, listAssignableStaff, previewAutoAssignment } from "@/lib/reviews/auto-assignment";
import { assignReviewer, claimApplication, declareConflict } from "@/lib/reviews/service";
import { getReviewSettings, updateReviewSettings } from "@/lib/reviews/settings";
import type { SessionUser } from "@/lib/users/service";
import { createUser } from "@/tests/support/factories";
import { createOrganization, createSubmittedApplication } from "@/tests/support/review-factories";

// Each test works in a category of its own with reviewers of its own, so the tests of this file never share a plan.
function uniqueCategory() {
  return `auto-${randomBytes(4).toString("hex")}`;
}

async function setCap(admin: SessionUser, cap: number) {
  await updateReviewSettings({ actor: admin, input: { ...(await getReviewSettings()), maxOpenAssignmentsPerReviewer: cap } });
}

async function reviewers(count: number) {
  return Promise.all(Array.from({ length: count }, () => createUser({ role: "REVIEWER" })));
}

async function confirmPreview(admin: SessionUser, scope: { category: string; reviewer: string[]; stage?: string }) {
  const plan = await previewAutoAssignment({ actor: admin, input: scope });
  const result = await confirmAutoAssignment({ actor: admin, input: { ...scope, digest: plan.digest } });
  return { plan, result };
}

async function assignmentsIn(category: string) {
  return db.reviewAssignment.findMany({ where: { application: { category: { slug: category } } }, select: { applicationId: true, reviewerId: true } });
}

describe("automatic assignment", () => {
  it("gives each application its required reviewers, never a conflicted, own-organisation or already-assigned one; audited and notified", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await setCap(admin, 10);
    const category = uniqueCategory();
    const [member, declarer, claimer, free] = await reviewers(4);
    if (!member || !declarer || !claimer || !free) throw new Error("reviewers missing");
    const { organization, owner } = await createOrganization();
    await db.membership.create({ data: { organizationId: organization.id, userId: member.id } });
    const ownOrg = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id, categorySlug: category });
    const production = await createSubmittedApplication({ stage: "PRODUCTION", categorySlug: category });
    const claimed = await createSubmittedApplication({ stage: "PRODUCTION", categorySlug: category });
    await declareConflict({ actor: declarer, input: { applicationId: production.id, reason: "I advise them." } });
    await claimApplication({ actor: claimer, input: { applicationId: claimed.id } });
    const scope = { category, reviewer: [member.id, declarer.id, claimer.id, free.id] };

    const { plan, result } = await confirmPreview(admin, scope);

    const rows = await assignmentsIn(category);
    const on = (applicationId: string) => rows.filter((row) => row.applicationId === applicationId).map((row) => row.reviewerId);
    expect(on(ownOrg.id)).toHaveLength(1);
    expect(on(ownOrg.id)).not.toContain(member.id);
    expect(on(production.id)).toHaveLength(2);
    expect(on(production.id)).not.toContain(declarer.id);
    expect(on(claimed.id)).toHaveLength(2);
    expect(on(claimed.id).filter((id) => id === claimer.id)).toHaveLength(1);
    expect(result).toEqual({ assigned: 4, applications: 3, reviewers: expect.any(Number) });
    expect(plan.assignments).toHaveLength(4);
    expect(plan.unstaffed).toEqual([]);
    for (const application of [ownOrg, production]) expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("IN_REVIEW");
    expect(await db.auditLog.count({ where: { action: "review.auto_assigned", actorId: admin.id, targetId: { in: [ownOrg.id, production.id, claimed.id] } } })).toBe(4);
    const assignedReviewers = [...new Set(plan.assignments.map((row) => row.reviewer.id))];
    for (const reviewerId of assignedReviewers) {
      expect(await db.notification.count({ where: { userId: reviewerId, title: { startsWith: "You were assigned" } } })).toBe(1);
    }
    const emails = await db.user.findMany({ where: { id: { in: assignedReviewers } }, select: { email: true } });
    expect(await db.outboxEmail.count({ where: { to: { in: emails.map((row) => row.email) }, subject: { startsWith: "[Gatehouse] You were assigned" } } })).toBe(assignedReviewers.length);
  });

  it("keeps every reviewer within the load cap and says why an application cannot be fully staffed", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await setCap(admin, 2);
    const category = uniqueCategory();
    const [busy, idle] = await reviewers(2);
    if (!busy || !idle) throw new Error("reviewers missing");
    // busy already holds two open assignments outside the scope, so they are at the cap.
    for (let i = 0; i < 2; i++) await assignReviewer({ actor: admin, input: { applicationId: (await createSubmittedApplication()).id, reviewerId: busy.id } });
    const applications = [];
    for (let i = 0; i < 3; i++) applications.push(await createSubmittedApplication({ categorySlug: category, submittedAt: new Date(Date.UTC(2026, 0, 1 + i)) }));

    const plan = await previewAutoAssignment({ actor: admin, input: { category, reviewer: [busy.id, idle.id] } });

    expect(Object.fromEntries(plan.loads.map((row) => [row.reviewer.id, [row.before, row.after]]))).toEqual({ [busy.id]: [2, 2], [idle.id]: [0, 2] });
    // The two oldest submissions are staffed; the newest waits, with the reason.
    expect(plan.assignments.map((row) => row.application.id)).toEqual([applications[0]?.id, applications[1]?.id]);
    expect(plan.unstaffed).toEqual([
      { application: expect.objectContaining({ id: applications[2]?.id }), needed: 1, planned: 0, reason: "The reviewers who may review it are at the load cap of 2 open assignments." },
    ]);
    await confirmAutoAssignment({ actor: admin, input: { category, reviewer: [busy.id, idle.id], digest: plan.digest } });
    expect(await db.reviewAssignment.count({ where: { reviewerId: busy.id } })).toBe(2);
    expect(await db.reviewAssignment.count({ where: { reviewerId: idle.id } })).toBe(2);
  });

  it("explains an application no chosen reviewer may take", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await setCap(admin, 10);
    const category = uniqueCategory();
    const [only] = await reviewers(1);
    if (!only) throw new Error("reviewer missing");
    const application = await createSubmittedApplication({ categorySlug: category, stage: "PRODUCTION" });
    const plan = await previewAutoAssignment({ actor: admin, input: { category, reviewer: [only.id] } });
    expect(plan.unstaffed).toEqual([{ application: expect.objectContaining({ id: application.id }), needed: 2, planned: 1, reason: expect.stringMatching(/^Only 1 of the chosen reviewers may review it/) }]);
  });

  it("spreads the work evenly, counting the reviewers' open assignments", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await setCap(admin, 50);
    const category = uniqueCategory();
    const team = await reviewers(3);
    const [loaded] = team;
    if (!loaded) throw new Error("reviewer missing");
    for (let i = 0; i < 3; i++) await assignReviewer({ actor: admin, input: { applicationId: (await createSubmittedApplication()).id, reviewerId: loaded.id } });
    for (let i = 0; i < 8; i++) await createSubmittedApplication({ categorySlug: category });

    const { plan } = await confirmPreview(admin, { category, reviewer: team.map((user) => user.id) });

    const after = plan.loads.map((row) => row.after);
    expect(after.reduce((sum, load) => sum + load, 0)).toBe(3 + 8);
    expect(Math.max(...after) - Math.min(...after)).toBeLessThanOrEqual(1);
    expect(plan.loads.find((row) => row.reviewer.id === loaded.id)).toMatchObject({ before: 3, after: expect.any(Number) });
    expect(plan.assignments.filter((row) => row.reviewer.id === loaded.id).length).toBeLessThanOrEqual(1);
  });

  it("two admins confirming the same preview at once: one applies it, the other is told to preview again", async () => {
    const [first, second] = [await createUser({ role: "ADMIN" }), await createUser({ role: "ADMIN" })];
    await setCap(first, 10);
    const category = uniqueCategory();
    const team = await reviewers(2);
    for (let i = 0; i < 3; i++) await createSubmittedApplication({ categorySlug: category });
    const scope = { category, reviewer: team.map((user) => user.id) };
    const plan = await previewAutoAssignment({ actor: first, input: scope });

    const results = await Promise.allSettled([first, second].map((actor) => confirmAutoAssignment({ actor, input: { ...scope, digest: plan.digest } })));

    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected");
    expect(refused?.reason).toMatchObject({ kind: "conflict", message: CHANGED_SINCE_PREVIEW });
    expect(await assignmentsIn(category)).toHaveLength(3);
    expect(await db.auditLog.count({ where: { action: "review.auto_assigned", data: { path: ["plan"], equals: plan.digest } } })).toBe(3);
  });

  it("refuses a confirmation when anything changed since the preview", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await setCap(admin, 10);
    const category = uniqueCategory();
    const team = await reviewers(2);
    const application = await createSubmittedApplication({ categorySlug: category });
    const scope = { category, reviewer: team.map((user) => user.id) };
    const plan = await previewAutoAssignment({ actor: admin, input: scope });
    await claimApplication({ actor: await createUser({ role: "REVIEWER" }), input: { applicationId: application.id } });

    await expect(confirmAutoAssignment({ actor: admin, input: { ...scope, digest: plan.digest } })).rejects.toMatchObject({ kind: "conflict", message: CHANGED_SINCE_PREVIEW });
    expect(await assignmentsIn(category)).toHaveLength(1);
  });

  it("answers an invalid scope with field messages", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await expect(previewAutoAssignment({ actor: admin, input: { reviewer: [] } })).rejects.toMatchObject({ kind: "invalid", fieldErrors: { reviewer: ["Choose at least one reviewer."] } });
    const [someone] = await reviewers(1);
    await expect(previewAutoAssignment({ actor: admin, input: { category: "no-such-category", reviewer: someone?.id } })).rejects.toMatchObject({ kind: "invalid", fieldErrors: { category: ["Choose a category from the list."] } });
    const applicant = await createUser();
    await expect(previewAutoAssignment({ actor: admin, input: { reviewer: [applicant.id] } })).rejects.toMatchObject({ kind: "invalid" });
    await expect(confirmAutoAssignment({ actor: admin, input: { reviewer: [someone?.id], digest: "not-a-digest" } })).rejects.toMatchObject({ kind: "invalid" });
  });

  for (const role of ["APPLICANT", "REVIEWER"] as const) {
    it(`a ${role.toLowerCase()} is refused the preview, the confirmation and the reviewer list`, async () => {
      const actor = await createUser({ role });
      const category = uniqueCategory();
      await createSubmittedApplication({ categorySlug: category });
      const scope = { category, reviewer: [actor.id] };
      await expect(previewAutoAssignment({ actor, input: scope })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(confirmAutoAssignment({ actor, input: { ...scope, digest: "0".repeat(64) } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(listAssignableStaff({ actor })).rejects.toMatchObject({ kind: "forbidden" });
      expect(await assignmentsIn(category)).toEqual([]);
    });
  }

  it("a suspended admin is refused", async () => {
    const admin = await createUser({ role: "ADMIN", status: "SUSPENDED" });
    await expect(previewAutoAssignment({ actor: admin, input: { reviewer: [admin.id] } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("the load cap is a review setting: validated and audited", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const current = await getReviewSettings();
    await expect(updateReviewSettings({ actor: admin, input: { ...current, maxOpenAssignmentsPerReviewer: 0 } })).rejects.toMatchObject({ kind: "invalid", fieldErrors: { maxOpenAssignmentsPerReviewer: ["At least 1 assignment."] } });
    await updateReviewSettings({ actor: admin, input: { ...current, maxOpenAssignmentsPerReviewer: "7" } });
    expect((await getReviewSettings()).maxOpenAssignmentsPerReviewer).toBe(7);
    const entry = await db.auditLog.findFirst({ where: { action: "settings.reviews.updated", actorId: admin.id } });
    expect(entry?.data).toMatchObject({ maxOpenAssignmentsPerReviewer: 7 });
  });
});
