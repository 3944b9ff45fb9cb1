import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { decisionOutcomeTable, decisionOutcomes, outcomeEvent, outcomeStatus, type DecisionOutcome } from "@/lib/decisions/outcomes";
import { decideApplication } from "@/lib/decisions/service";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { claimApplication, submitReview } from "@/lib/reviews/service";
import { createUser } from "@/tests/support/factories";
import { createOrganization, createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

const inputs: Record<DecisionOutcome, Record<string, unknown>> = {
  APPROVED: { outcome: "APPROVED", message: "", scopes: defaultDevelopmentScopes },
  APPROVED_WITH_CONDITIONS: { outcome: "APPROVED_WITH_CONDITIONS", conditions: "Report monthly.", scopes: defaultDevelopmentScopes },
  CHANGES_REQUESTED: { outcome: "CHANGES_REQUESTED", message: "Describe the end users." },
  REJECTED: { outcome: "REJECTED", message: "Not a supported category." },
};

/** A submitted application with its one required review in, and a member of the applying organisation. */
async function readyForDecision() {
  const { organization, owner } = await createOrganization();
  const application = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id });
  const reviewer = await createUser({ role: "REVIEWER" });
  await claimApplication({ actor: reviewer, input: { applicationId: application.id } });
  await submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith(), recommendation: "APPROVE" } });
  return { application, owner, reviewer };
}

describe("the outcome table", () => {
  it("maps each outcome to its status, event and grant", () => {
    expect(decisionOutcomes.map((outcome) => [outcome, outcomeStatus(outcome), outcomeEvent(outcome), decisionOutcomeTable[outcome].issuesGrant])).toEqual([
      ["APPROVED", "APPROVED", "approved", true],
      ["APPROVED_WITH_CONDITIONS", "APPROVED", "approved", true],
      ["CHANGES_REQUESTED", "CHANGES_REQUESTED", "changes_requested", false],
      ["REJECTED", "REJECTED", "rejected", false],
    ]);
  });
});

describe("deciding", () => {
  it.each(decisionOutcomes)("%s moves the application, records the event, audits, notifies and emails the applicant", async (outcome) => {
    const { application, owner } = await readyForDecision();
    const admin = await createUser({ role: "ADMIN" });
    const { decision, grantId } = await decideApplication({ actor: admin, input: { applicationId: application.id, ...inputs[outcome] } });
    const row = await db.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(row.status).toBe(outcomeStatus(outcome));
    expect(row.decidedAt === null).toBe(outcome === "CHANGES_REQUESTED");
    const event = await db.applicationEvent.findFirstOrThrow({ where: { applicationId: application.id }, orderBy: { createdAt: "desc" } });
    expect(event).toMatchObject({ type: outcomeEvent(outcome), actorId: admin.id, data: { decisionId: decision.id } });
    expect(Boolean(grantId)).toBe(decisionOutcomeTable[outcome].issuesGrant);
    expect(await db.keyGrant.count({ where: { applicationId: application.id } })).toBe(decisionOutcomeTable[outcome].issuesGrant ? 1 : 0);
    expect(await db.auditLog.count({ where: { action: `decision.${outcome.toLowerCase()}`, targetId: application.id } })).toBe(1);
    const notification = await db.notification.findFirstOrThrow({ where: { userId: owner.id } });
    expect(notification.title).toContain(decisionOutcomeTable[outcome].label.toLowerCase());
    const email = await db.outboxEmail.findFirstOrThrow({ where: { to: owner.email } });
    expect(email).toMatchObject({ status: "KEPT", subject: `[Gatehouse] ${notification.title}` });
    expect(email.body).toContain(`/applicant/applications/${application.id}`);
  });

  it.each(["DRAFT", "APPROVED", "REJECTED", "CHANGES_REQUESTED"] as const)("refuses a decision on an application that is %s", async (status) => {
    const application = await createSubmittedApplication({ status });
    const admin = await createUser({ role: "ADMIN" });
    const refusal = decideApplication({ actor: admin, input: { applicationId: application.id, ...inputs.REJECTED } });
    await expect(refusal).rejects.toMatchObject({ kind: status === "DRAFT" ? "not_found" : "conflict" });
    if (status !== "DRAFT") await expect(refusal).rejects.toThrow(/Only an application awaiting a decision can be rejected\. It is/);
    expect(await db.decision.count({ where: { applicationId: application.id } })).toBe(0);
  });

  it("two concurrent decisions: exactly one wins, the other is refused and leaves nothing behind", async () => {
    const { application } = await readyForDecision();
    const [first, second] = [await createUser({ role: "ADMIN" }), await createUser({ role: "ADMIN" })];
    const results = await Promise.allSettled([
      decideApplication({ actor: first, input: { applicationId: application.id, ...inputs.APPROVED } }),
      decideApplication({ actor: second, input: { applicationId: application.id, ...inputs.REJECTED } }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected");
    expect(refused?.status === "rejected" ? refused.reason : null).toMatchObject({ kind: "conflict" });
    expect(await db.decision.count({ where: { applicationId: application.id } })).toBe(1);
    expect(await db.applicationEvent.count({ where: { applicationId: application.id, type: { in: ["approved", "rejected"] } } })).toBe(1);
  });

  it.each(["REVIEWER", "APPLICANT"] as const)("a %s may not decide", async (role) => {
    const { application } = await readyForDecision();
    const actor = await createUser({ role });
    await expect(decideApplication({ actor, input: { applicationId: application.id, ...inputs.APPROVED } })).rejects.toMatchObject({ kind: "forbidden" });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("IN_REVIEW");
  });

  it("a suspended admin may not decide", async () => {
    const { application } = await readyForDecision();
    const actor = await createUser({ role: "ADMIN", status: "SUSPENDED" });
    await expect(decideApplication({ actor, input: { applicationId: application.id, ...inputs.REJECTED } })).rejects.toMatchObject({ kind: "forbidden" });
  });
});
