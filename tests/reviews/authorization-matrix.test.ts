import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { listReviewQueue } from "@/lib/reviews/queries";
import { decideApplication } from "@/lib/decisions/service";
import { assignReviewer, claimApplication, submitReview } from "@/lib/reviews/service";
import type { SessionUser } from "@/lib/users/service";
import { createUser } from "@/tests/support/factories";
import { createOrganization, createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

// Every admin-only action, each with a valid input for an application that has its required reviews.
const adminActions: Record<string, (actor: SessionUser, applicationId: string, reviewerId: string) => Promise<unknown>> = {
  approve: (actor, applicationId) => decideApplication({ actor, input: { applicationId, outcome: "APPROVED", scopes: defaultDevelopmentScopes } }),
  "approve with conditions": (actor, applicationId) =>
    decideApplication({ actor, input: { applicationId, outcome: "APPROVED_WITH_CONDITIONS", conditions: "Monthly report.", scopes: defaultDevelopmentScopes } }),
  "request changes": (actor, applicationId) => decideApplication({ actor, input: { applicationId, outcome: "CHANGES_REQUESTED", message: "Explain the end users." } }),
  reject: (actor, applicationId) => decideApplication({ actor, input: { applicationId, outcome: "REJECTED", message: "Not supported." } }),
  assign: (actor, applicationId, reviewerId) => assignReviewer({ actor, input: { applicationId, reviewerId } }),
};

describe("authorisation matrix", () => {
  for (const role of ["APPLICANT", "REVIEWER"] as const) {
    for (const [name, action] of Object.entries(adminActions)) {
      it(`${role.toLowerCase()} is refused the admin action “${name}”`, async () => {
        const { organization, owner } = await createOrganization();
        const application = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id, stage: "PRODUCTION" });
        // The applicant is the applying organisation's owner: even they may not decide on their own application.
        const actor = role === "APPLICANT" ? owner : await createUser({ role });
        const reviewer = await createUser({ role: "REVIEWER" });
        await expect(action(actor, application.id, reviewer.id)).rejects.toMatchObject({ kind: "forbidden" });
        const after = await db.application.findUniqueOrThrow({ where: { id: application.id } });
        expect(after.status).toBe("SUBMITTED");
        expect(await db.decision.count({ where: { applicationId: application.id } })).toBe(0);
        expect(await db.reviewAssignment.count({ where: { applicationId: application.id } })).toBe(0);
      });
    }
  }

  it("a reviewer is refused scoring an item they have not claimed", async () => {
    const application = await createSubmittedApplication({ stage: "PRODUCTION" });
    await claimApplication({ actor: await createUser({ role: "REVIEWER" }), input: { applicationId: application.id } });
    const outsider = await createUser({ role: "REVIEWER" });
    await expect(submitReview({ actor: outsider, input: { applicationId: application.id, scores: scoresWith(), recommendation: "APPROVE" } })).rejects.toMatchObject({
      kind: "forbidden",
      message: "Claim this application before scoring it.",
    });
  });

  it("a reviewer is refused scoring a conflicted item even when assigned before joining the organisation", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const { organization, owner } = await createOrganization();
    const application = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id });
    await claimApplication({ actor: reviewer, input: { applicationId: application.id } });
    await db.membership.create({ data: { organizationId: organization.id, userId: reviewer.id } });
    await expect(submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith(), recommendation: "APPROVE" } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("an applicant is refused the review queue and claiming", async () => {
    const applicant = await createUser();
    const application = await createSubmittedApplication();
    await expect(listReviewQueue({ actor: applicant, input: {} })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(claimApplication({ actor: applicant, input: { applicationId: application.id } })).rejects.toMatchObject({ kind: "forbidden" });
  });
});
