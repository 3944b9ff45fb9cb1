import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { listApplicationReviews, getDecisionsFor, getReviewWorkspace } from "@/lib/reviews/queries";
import { decideApplication } from "@/lib/decisions/service";
import { assignReviewer, claimApplication, declareConflict, submitReview } from "@/lib/reviews/service";
import { getReviewSettings, updateReviewSettings } from "@/lib/reviews/settings";
import { createUser } from "@/tests/support/factories";
import { createOrganization, createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

async function reviewed(applicationId: string, overrides: Parameters<typeof scoresWith>[0] = {}, recommendation = "APPROVE") {
  const reviewer = await createUser({ role: "REVIEWER" });
  await claimApplication({ actor: reviewer, input: { applicationId } });
  await submitReview({ actor: reviewer, input: { applicationId, scores: scoresWith(overrides), recommendation } });
  return reviewer;
}

describe("conflicts of interest", () => {
  it("reviewer cannot claim an application from their own organisation", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const { organization } = await createOrganization();
    await db.membership.create({ data: { organizationId: organization.id, userId: reviewer.id } });
    const application = await createSubmittedApplication({ organizationId: organization.id, createdById: (await createUser()).id });
    await expect(claimApplication({ actor: reviewer, input: { applicationId: application.id } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("reviewer cannot review an application they submitted", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const { organization } = await createOrganization();
    const application = await createSubmittedApplication({ organizationId: organization.id, createdById: reviewer.id });
    await expect(claimApplication({ actor: reviewer, input: { applicationId: application.id } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(getReviewWorkspace({ actor: reviewer, applicationId: application.id })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("a declared conflict releases the claim and refuses claiming, scoring and assignment", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const admin = await createUser({ role: "ADMIN" });
    const application = await createSubmittedApplication();
    await claimApplication({ actor: reviewer, input: { applicationId: application.id } });
    await expect(declareConflict({ actor: reviewer, input: { applicationId: application.id, reason: "" } })).rejects.toMatchObject({ kind: "invalid" });
    await declareConflict({ actor: reviewer, input: { applicationId: application.id, reason: "I advise this company." } });
    expect(await db.reviewAssignment.count({ where: { applicationId: application.id } })).toBe(0);
    await expect(claimApplication({ actor: reviewer, input: { applicationId: application.id } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith(), recommendation: "APPROVE" } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(assignReviewer({ actor: admin, input: { applicationId: application.id, reviewerId: reviewer.id } })).rejects.toMatchObject({ kind: "forbidden" });
    expect(await db.auditLog.count({ where: { action: "review.conflict_declared", actorId: reviewer.id } })).toBe(1);
  });
});

describe("claims and assignments", () => {
  it("claiming moves SUBMITTED to IN_REVIEW and is audited; an access request takes one reviewer by default", async () => {
    const [first, second] = [await createUser({ role: "REVIEWER" }), await createUser({ role: "REVIEWER" })];
    const application = await createSubmittedApplication();
    await claimApplication({ actor: first, input: { applicationId: application.id } });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("IN_REVIEW");
    await expect(claimApplication({ actor: second, input: { applicationId: application.id } })).rejects.toMatchObject({ kind: "conflict" });
    expect(await db.auditLog.count({ where: { action: "review.claimed", targetId: application.id } })).toBe(1);
  });

  it("a production review may be claimed by two reviewers, not three", async () => {
    const application = await createSubmittedApplication({ stage: "PRODUCTION" });
    for (let index = 0; index < 2; index += 1) {
      await claimApplication({ actor: await createUser({ role: "REVIEWER" }), input: { applicationId: application.id } });
    }
    await expect(claimApplication({ actor: await createUser({ role: "REVIEWER" }), input: { applicationId: application.id } })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("admins assign and reassign reviewers, audited; applicants cannot be assigned", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const [first, second] = [await createUser({ role: "REVIEWER" }), await createUser({ role: "REVIEWER" })];
    const application = await createSubmittedApplication();
    await expect(assignReviewer({ actor: admin, input: { applicationId: application.id, reviewerId: (await createUser()).id } })).rejects.toMatchObject({ kind: "invalid" });
    await assignReviewer({ actor: admin, input: { applicationId: application.id, reviewerId: first.id } });
    await expect(assignReviewer({ actor: admin, input: { applicationId: application.id, reviewerId: second.id } })).rejects.toMatchObject({ kind: "conflict" });
    await assignReviewer({ actor: admin, input: { applicationId: application.id, reviewerId: second.id, replaceReviewerId: first.id } });
    const assignments = await db.reviewAssignment.findMany({ where: { applicationId: application.id } });
    expect(assignments.map((row) => row.reviewerId)).toEqual([second.id]);
    expect(await db.auditLog.count({ where: { targetId: application.id, action: { in: ["review.assigned", "review.reassigned"] } } })).toBe(2);
  });
});

describe("scorecards", () => {
  it("an extreme score needs a note, and scores must be 1 to 5", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const application = await createSubmittedApplication();
    await claimApplication({ actor: reviewer, input: { applicationId: application.id } });
    const scores = scoresWith({ risk: 5 });
    scores.risk.note = "";
    await expect(submitReview({ actor: reviewer, input: { applicationId: application.id, scores, recommendation: "REJECT" } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { "scores.risk.note": ["Explain an extreme score (1 or 5) in a note."] },
    });
    await expect(submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith({ risk: 6 }), recommendation: "REJECT" } })).rejects.toMatchObject({ kind: "invalid" });
  });

  it("reviews are independent: another review is hidden until one's own is submitted", async () => {
    const application = await createSubmittedApplication({ stage: "PRODUCTION" });
    await reviewed(application.id);
    const second = await createUser({ role: "REVIEWER" });
    await claimApplication({ actor: second, input: { applicationId: application.id } });
    await expect(listApplicationReviews({ actor: second, applicationId: application.id })).rejects.toMatchObject({ kind: "forbidden" });
    expect((await getReviewWorkspace({ actor: second, applicationId: application.id })).reviews).toBeNull();
    await submitReview({ actor: second, input: { applicationId: application.id, scores: scoresWith(), recommendation: "APPROVE" } });
    expect(await listApplicationReviews({ actor: second, applicationId: application.id })).toHaveLength(2);
  });

  it("revising a review keeps the earlier version and audits both", async () => {
    const application = await createSubmittedApplication();
    const reviewer = await reviewed(application.id, { risk: 2 });
    const result = await submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith({ risk: 3 }), recommendation: "APPROVE_WITH_CONDITIONS" } });
    expect(result.isRevision).toBe(true);
    const revisions = await db.reviewRevision.findMany({ where: { reviewId: result.review.id } });
    expect(revisions).toHaveLength(1);
    expect(revisions[0]?.snapshot).toMatchObject({ recommendation: "APPROVE", scores: { risk: { score: 2 } } });
    expect(result.review.recommendation).toBe("APPROVE_WITH_CONDITIONS");
    expect(await db.auditLog.count({ where: { actorId: reviewer.id, action: { in: ["review.submitted", "review.revised"] } } })).toBe(2);
  });

  it("flags a disagreement when scores on a question differ by 2 or more", async () => {
    const application = await createSubmittedApplication({ stage: "PRODUCTION" });
    await reviewed(application.id, { openEndedness: 2 });
    await reviewed(application.id, { openEndedness: 3 });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).hasDisagreement).toBe(false);
    const other = await createSubmittedApplication({ stage: "PRODUCTION" });
    await reviewed(other.id, { openEndedness: 2 });
    await reviewed(other.id, { openEndedness: 4 });
    expect((await db.application.findUniqueOrThrow({ where: { id: other.id } })).hasDisagreement).toBe(true);
  });

  it("flags high risk from the risk average or a weak misuse plan, with thresholds from settings", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const risky = await createSubmittedApplication();
    await reviewed(risky.id, { risk: 4 });
    expect((await db.application.findUniqueOrThrow({ where: { id: risky.id } })).isHighRisk).toBe(true);
    const weakPlan = await createSubmittedApplication();
    await reviewed(weakPlan.id, { misusePlan: 2 });
    expect((await db.application.findUniqueOrThrow({ where: { id: weakPlan.id } })).isHighRisk).toBe(true);
    await updateReviewSettings({ actor: admin, input: { requiredReviewsAccess: 1, requiredReviewsProduction: 2, highRiskThreshold: 5, weakMisusePlanThreshold: 1 } });
    const calm = await createSubmittedApplication();
    await reviewed(calm.id, { risk: 4, misusePlan: 2 });
    expect((await db.application.findUniqueOrThrow({ where: { id: calm.id } })).isHighRisk).toBe(false);
  });
});

describe("settings", () => {
  it("defaults to 2 reviews for production and 1 for access, and validates changes", async () => {
    const admin = await createUser({ role: "ADMIN" });
    expect(await getReviewSettings()).toMatchObject({ requiredReviewsAccess: 1, requiredReviewsProduction: 2 });
    await expect(updateReviewSettings({ actor: admin, input: { requiredReviewsAccess: 0, requiredReviewsProduction: 2, highRiskThreshold: 4, weakMisusePlanThreshold: 2 } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { requiredReviewsAccess: ["At least 1 review is required."] },
    });
    await expect(updateReviewSettings({ actor: await createUser({ role: "REVIEWER" }), input: {} })).rejects.toMatchObject({ kind: "forbidden" });
  });
});

describe("decisions", () => {
  it("admins cannot decide before the required number of reviews", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const application = await createSubmittedApplication({ stage: "PRODUCTION" });
    await expect(decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "REJECTED", message: "Not supported." } })).rejects.toMatchObject({ kind: "conflict" });
    await reviewed(application.id);
    await expect(decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "REJECTED", message: "Not supported." } })).rejects.toMatchObject({
      kind: "conflict",
      message: "A decision needs 2 submitted reviews; this application has 1.",
    });
    await reviewed(application.id);
    await decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "REJECTED", message: "Political persuasion is not supported." } });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("REJECTED");
  });

  it("approving an access request issues a DEVELOPMENT grant with the chosen scopes, notifies members, and audits", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { organization, owner } = await createOrganization();
    const application = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id });
    await reviewed(application.id);
    const scopes = { ...defaultDevelopmentScopes, requestsPerMinute: 10 };
    await decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "APPROVED", message: "", scopes } });
    const grant = await db.keyGrant.findFirstOrThrow({ where: { applicationId: application.id } });
    expect(grant.kind).toBe("DEVELOPMENT");
    expect(grant.scopes).toMatchObject({ requestsPerMinute: 10 });
    const updated = await db.application.findUniqueOrThrow({ where: { id: application.id }, include: { events: true } });
    expect(updated.status).toBe("APPROVED");
    expect(updated.decidedAt).not.toBeNull();
    expect(updated.events.map((event) => event.type)).toContain("approved");
    const notification = await db.notification.findFirstOrThrow({ where: { userId: owner.id } });
    expect(notification.href).toBe(`/applicant/applications/${application.id}`);
    expect(await db.auditLog.count({ where: { action: "decision.approved", targetId: application.id } })).toBe(1);
    expect(await getDecisionsFor({ actor: owner, applicationId: application.id })).toMatchObject([{ outcome: "APPROVED", scopes: { requestsPerMinute: 10 } }]);
    await expect(getDecisionsFor({ actor: await createUser(), applicationId: application.id })).rejects.toMatchObject({ kind: "not_found" });
  });

  it("approving a production review issues a LIVE grant, and conditions are required and shown to the applicant", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { organization, owner } = await createOrganization();
    const application = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id, stage: "PRODUCTION" });
    await reviewed(application.id);
    await reviewed(application.id);
    await expect(
      decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "APPROVED_WITH_CONDITIONS", conditions: " ", scopes: defaultDevelopmentScopes } }),
    ).rejects.toMatchObject({ kind: "invalid" });
    await decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "APPROVED_WITH_CONDITIONS", conditions: "Require end-user ids within 30 days.", scopes: defaultDevelopmentScopes } });
    expect((await db.keyGrant.findFirstOrThrow({ where: { applicationId: application.id } })).kind).toBe("LIVE");
    const notification = await db.notification.findFirstOrThrow({ where: { userId: owner.id } });
    expect(notification.body).toContain("Conditions: Require end-user ids within 30 days.");
  });

  it("invalid scopes are refused with field errors and nothing is written", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const application = await createSubmittedApplication();
    await reviewed(application.id);
    await expect(
      decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "APPROVED", scopes: { ...defaultDevelopmentScopes, models: [], requestsPerMinute: 0 } } }),
    ).rejects.toMatchObject({ kind: "invalid", fieldErrors: { "scopes.models": ["Allow at least one model."], "scopes.requestsPerMinute": ["Requests per minute must be at least 1."] } });
    expect(await db.decision.count({ where: { applicationId: application.id } })).toBe(0);
  });

  it("an approval whose expiry has passed is refused on the expiry field; one ending today is granted", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const application = await createSubmittedApplication();
    await reviewed(application.id);
    await expect(
      decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "APPROVED", scopes: { ...defaultDevelopmentScopes, expiresAt: "2020-01-01T23:59:59Z" } } }),
    ).rejects.toMatchObject({ kind: "invalid", fieldErrors: { "scopes.expiresAt": ["Choose an expiry date from today on: this one has passed, and no key could be created under the approval."] } });
    expect(await db.decision.count({ where: { applicationId: application.id } })).toBe(0);
    const endOfToday = `${new Date().toISOString().slice(0, 10)}T23:59:59Z`;
    await decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "APPROVED", scopes: { ...defaultDevelopmentScopes, expiresAt: endOfToday } } });
    expect(await db.decision.count({ where: { applicationId: application.id } })).toBe(1);
  });

  it("requesting changes needs a message and reopens the application; a second decision is refused", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const application = await createSubmittedApplication();
    await reviewed(application.id);
    await expect(decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "CHANGES_REQUESTED", message: "" } })).rejects.toMatchObject({ kind: "invalid" });
    await decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "CHANGES_REQUESTED", message: "Describe the end users." } });
    const updated = await db.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(updated.status).toBe("CHANGES_REQUESTED");
    expect(await db.keyGrant.count({ where: { applicationId: application.id } })).toBe(0);
    await expect(decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "REJECTED", message: "No." } })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("a rejection needs a reason; decided applications cannot be claimed or scored", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const application = await createSubmittedApplication();
    const reviewer = await reviewed(application.id);
    await expect(decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "REJECTED", message: "" } })).rejects.toMatchObject({ kind: "invalid" });
    await decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "REJECTED", message: "Not a supported category." } });
    await expect(claimApplication({ actor: await createUser({ role: "REVIEWER" }), input: { applicationId: application.id } })).rejects.toMatchObject({ kind: "conflict" });
    await expect(submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith(), recommendation: "REJECT" } })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("an admin cannot decide on an application of their own organisation", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { organization } = await createOrganization({ owner: admin });
    const application = await createSubmittedApplication({ organizationId: organization.id, createdById: (await createUser()).id });
    await reviewed(application.id);
    await expect(decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "REJECTED", message: "No." } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("drafts are invisible to reviewers", async () => {
    const application = await createSubmittedApplication({ status: "DRAFT" });
    await expect(claimApplication({ actor: await createUser({ role: "REVIEWER" }), input: { applicationId: application.id } })).rejects.toMatchObject({ kind: "not_found" });
  });
});
