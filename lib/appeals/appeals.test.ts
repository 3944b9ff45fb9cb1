import { describe, expect, it } from "vitest";
import { fileAppeal, resolveAppeal } from "@/lib/appeals/service";
import { getAppealPanel, listAppeals, countOpenAppeals } from "@/lib/appeals/queries";
import { appealEligibility } from "@/lib/appeals/schema";
import { db } from "@/lib/db";
import { decideApplication } from "@/lib/decisions/service";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { claimApplication, submitReview } from "@/lib/reviews/service";
import { createUser } from "@/tests/support/factories";
import { createOrganization, createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

const DAY = 24 * 60 * 60 * 1000;
const statement = "The reviewers read our product as a chatbot; it only drafts replies that agents approve.";

async function decided(outcome: "REJECTED" | "CHANGES_REQUESTED" | "APPROVED" = "REJECTED") {
  const { organization, owner } = await createOrganization();
  const application = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id });
  const reviewer = await createUser({ role: "REVIEWER" });
  await claimApplication({ actor: reviewer, input: { applicationId: application.id } });
  await submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith(), recommendation: "APPROVE" } });
  const decider = await createUser({ role: "ADMIN" });
  const input = outcome === "APPROVED" ? { outcome, scopes: defaultDevelopmentScopes } : { outcome, message: "Not a supported category." };
  const { decision } = await decideApplication({ actor: decider, input: { applicationId: application.id, ...input } });
  return { application, owner, organization, decider, decision };
}

async function appealed() {
  const setup = await decided();
  const appeal = await fileAppeal({ actor: setup.owner, input: { applicationId: setup.application.id, grounds: ["MISSED_PART"], statement } });
  return { ...setup, appeal };
}

describe("appeal eligibility", () => {
  const at = new Date("2026-01-01T00:00:00Z");
  it("only rejections and requests for changes, once, within 30 days, while the application is as decided", () => {
    expect(appealEligibility({ decision: { outcome: "REJECTED", createdAt: at }, applicationStatus: "REJECTED", hasAppeal: false, now: new Date(at.getTime() + 30 * DAY) })).toMatchObject({ isEligible: true });
    expect(appealEligibility({ decision: { outcome: "REJECTED", createdAt: at }, applicationStatus: "REJECTED", hasAppeal: false, now: new Date(at.getTime() + 30 * DAY + 1) })).toMatchObject({ isEligible: false, reason: expect.stringMatching(/30-day window/) });
    expect(appealEligibility({ decision: { outcome: "CHANGES_REQUESTED", createdAt: at }, applicationStatus: "CHANGES_REQUESTED", hasAppeal: false, now: at })).toMatchObject({ isEligible: true });
    expect(appealEligibility({ decision: { outcome: "APPROVED", createdAt: at }, applicationStatus: "APPROVED", hasAppeal: false, now: at })).toMatchObject({ isEligible: false, reason: expect.stringMatching(/cannot be appealed/) });
    expect(appealEligibility({ decision: { outcome: "APPROVED_WITH_CONDITIONS", createdAt: at }, applicationStatus: "APPROVED", hasAppeal: false, now: at })).toMatchObject({ isEligible: false });
    expect(appealEligibility({ decision: { outcome: "REJECTED", createdAt: at }, applicationStatus: "REJECTED", hasAppeal: true, now: at })).toMatchObject({ isEligible: false, reason: expect.stringMatching(/already been appealed/) });
    expect(appealEligibility({ decision: { outcome: "CHANGES_REQUESTED", createdAt: at }, applicationStatus: "SUBMITTED", hasAppeal: false, now: at })).toMatchObject({ isEligible: false, reason: expect.stringMatching(/changed since/) });
    expect(appealEligibility({ decision: null, applicationStatus: "SUBMITTED", hasAppeal: false, now: at })).toMatchObject({ isEligible: false });
  });
});

describe("filing an appeal", () => {
  it("a member appeals a rejection: recorded on the timeline, audited, admins but not the decider notified", async () => {
    const otherAdmin = await createUser({ role: "ADMIN" });
    const { application, owner, decider, decision, appeal } = await appealed();
    expect(appeal).toMatchObject({ decisionId: decision.id, status: "OPEN", grounds: ["MISSED_PART"], appellantId: owner.id });
    expect(await db.applicationEvent.count({ where: { applicationId: application.id, type: "appealed" } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "appeal.filed", targetId: appeal.id } })).toBe(1);
    const notified = await db.notification.findMany({ where: { href: `/admin/appeals/${appeal.id}` }, select: { userId: true } });
    expect(notified.map((row) => row.userId)).toContain(otherAdmin.id);
    expect(notified.map((row) => row.userId)).not.toContain(decider.id);
    expect(await db.outboxEmail.count({ where: { body: { contains: `/admin/appeals/${appeal.id}` } } })).toBe(notified.length);
  });

  it("a request for changes can be appealed too", async () => {
    const { application, owner } = await decided("CHANGES_REQUESTED");
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: ["POLICY_MISAPPLIED", "FACTUAL_ERROR"], statement } })).resolves.toMatchObject({ status: "OPEN" });
  });

  it("an approval cannot be appealed", async () => {
    const { application, owner } = await decided("APPROVED");
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: ["FACTUAL_ERROR"], statement } })).rejects.toMatchObject({ kind: "conflict", message: expect.stringMatching(/cannot be appealed/) });
  });

  it("a decision is appealed once only, even by two members at the same time", async () => {
    const { application, owner, organization } = await decided();
    const colleague = await createUser();
    await db.membership.create({ data: { organizationId: organization.id, userId: colleague.id } });
    const results = await Promise.allSettled([owner, colleague].map((actor) => fileAppeal({ actor, input: { applicationId: application.id, grounds: ["FACTUAL_ERROR"], statement } })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: ["FACTUAL_ERROR"], statement } })).rejects.toMatchObject({ kind: "conflict", message: expect.stringMatching(/already been appealed/) });
    expect(await db.appeal.count({ where: { applicationId: application.id } })).toBe(1);
  });

  it("the window closes 30 days after the decision (controllable clock)", async () => {
    const { application, owner, decision } = await decided();
    const late = new Date(decision.createdAt.getTime() + 31 * DAY);
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: ["FACTUAL_ERROR"], statement }, now: late })).rejects.toMatchObject({ kind: "conflict", message: expect.stringMatching(/window/) });
    const panel = await getAppealPanel({ actor: owner, applicationId: application.id, now: late });
    expect(panel.eligibility).toMatchObject({ isEligible: false });
    const inTime = new Date(decision.createdAt.getTime() + 29 * DAY);
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: ["FACTUAL_ERROR"], statement }, now: inTime })).resolves.toMatchObject({ status: "OPEN" });
  });

  it("someone outside the organisation cannot appeal (not found), nor can staff", async () => {
    const { application } = await decided();
    for (const actor of [await createUser(), await createUser({ role: "REVIEWER" }), await createUser({ role: "ADMIN" })]) {
      await expect(fileAppeal({ actor, input: { applicationId: application.id, grounds: ["FACTUAL_ERROR"], statement } })).rejects.toMatchObject({ kind: "not_found" });
      await expect(getAppealPanel({ actor, applicationId: application.id })).rejects.toMatchObject({ kind: "not_found" });
    }
  });

  it("grounds and a bounded statement are required", async () => {
    const { application, owner } = await decided();
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: [], statement } })).rejects.toMatchObject({ kind: "invalid", fieldErrors: { grounds: [expect.stringMatching(/at least one ground/)] } });
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: ["NONSENSE"], statement } })).rejects.toMatchObject({ kind: "invalid" });
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: "FACTUAL_ERROR", statement: "short" } })).rejects.toMatchObject({ kind: "invalid", fieldErrors: { statement: [expect.any(String)] } });
    await expect(fileAppeal({ actor: owner, input: { applicationId: application.id, grounds: "FACTUAL_ERROR", statement: "x".repeat(4_001) } })).rejects.toMatchObject({ kind: "invalid" });
  });
});

describe("deciding an appeal", () => {
  it("the admin who made the decision may not decide its appeal", async () => {
    const { decider, appeal } = await appealed();
    await expect(resolveAppeal({ actor: decider, input: { appealId: appeal.id, result: "REOPEN" } })).rejects.toMatchObject({ kind: "forbidden", message: expect.stringMatching(/another administrator/) });
  });

  it.each(["REVIEWER", "APPLICANT"] as const)("a %s may not decide an appeal or list appeals", async (role) => {
    const { appeal } = await appealed();
    const actor = await createUser({ role });
    await expect(resolveAppeal({ actor, input: { appealId: appeal.id, result: "UPHELD", reasons: "Stands." } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(listAppeals({ actor, input: {} })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(countOpenAppeals({ actor })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("upheld: reasons required, the decision stands, once only", async () => {
    const { application, owner, appeal } = await appealed();
    const admin = await createUser({ role: "ADMIN" });
    await expect(resolveAppeal({ actor: admin, input: { appealId: appeal.id, result: "UPHELD", reasons: " " } })).rejects.toMatchObject({ kind: "invalid" });
    await resolveAppeal({ actor: admin, input: { appealId: appeal.id, result: "UPHELD", reasons: "The category is not supported." } });
    expect(await db.appeal.findUniqueOrThrow({ where: { id: appeal.id } })).toMatchObject({ status: "UPHELD", deciderId: admin.id, reasons: "The category is not supported." });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("REJECTED");
    expect(await db.applicationEvent.count({ where: { applicationId: application.id, type: "appeal_upheld" } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "appeal.upheld", targetId: appeal.id } })).toBe(1);
    expect(await db.notification.count({ where: { userId: owner.id, title: { contains: "decision upheld" } } })).toBe(1);
    await expect(resolveAppeal({ actor: admin, input: { appealId: appeal.id, result: "REOPEN" } })).rejects.toMatchObject({ kind: "conflict" });
    const panel = await getAppealPanel({ actor: owner, applicationId: application.id });
    expect(panel.eligibility).toMatchObject({ isEligible: false, reason: expect.stringMatching(/already been appealed/) });
  });

  it("granted, reopened: the application is back in review and can be decided again", async () => {
    const { application, appeal } = await appealed();
    const admin = await createUser({ role: "ADMIN" });
    await resolveAppeal({ actor: admin, input: { appealId: appeal.id, result: "REOPEN", reasons: "The misuse plan was missed." } });
    expect(await db.application.findUniqueOrThrow({ where: { id: application.id } })).toMatchObject({ status: "IN_REVIEW", decidedAt: null });
    const events = await db.applicationEvent.findMany({ where: { applicationId: application.id }, orderBy: { createdAt: "asc" }, select: { type: true } });
    expect(events.map((event) => event.type).slice(-3)).toEqual(["appealed", "appeal_granted", "reopened"]);
    await decideApplication({ actor: admin, input: { applicationId: application.id, outcome: "APPROVED", scopes: defaultDevelopmentScopes } });
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("APPROVED");
  });

  it("granted, approved: a new approval decision through the outcome table, with its key grant", async () => {
    const { application, owner, appeal } = await appealed();
    const admin = await createUser({ role: "ADMIN" });
    const result = await resolveAppeal({ actor: admin, input: { appealId: appeal.id, result: "APPROVE", approval: { outcome: "APPROVED_WITH_CONDITIONS", conditions: "Report monthly.", scopes: defaultDevelopmentScopes } } });
    expect(await db.application.findUniqueOrThrow({ where: { id: application.id } })).toMatchObject({ status: "APPROVED" });
    expect(await db.decision.findUniqueOrThrow({ where: { id: result.resultDecisionId ?? "" } })).toMatchObject({ outcome: "APPROVED_WITH_CONDITIONS", adminId: admin.id, conditions: "Report monthly." });
    expect(await db.keyGrant.count({ where: { applicationId: application.id } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: "appeal.granted", targetId: appeal.id } })).toBe(1);
    expect(await db.notification.count({ where: { userId: owner.id, title: { contains: "granted" } } })).toBe(1);
    const panel = await getAppealPanel({ actor: owner, applicationId: application.id });
    expect(panel.appeal).toMatchObject({ id: appeal.id, status: "GRANTED", resolution: "APPROVED" });
  });

  it("lists open appeals for admins and counts them", async () => {
    const { appeal } = await appealed();
    const admin = await createUser({ role: "ADMIN" });
    expect(await countOpenAppeals({ actor: admin })).toBeGreaterThanOrEqual(1);
    const { appeals } = await listAppeals({ actor: admin, input: { status: "OPEN" } });
    expect(appeals.map((row) => row.id)).toContain(appeal.id);
    await resolveAppeal({ actor: admin, input: { appealId: appeal.id, result: "UPHELD", reasons: "Stands." } });
    expect((await listAppeals({ actor: admin, input: { status: "OPEN" } })).appeals.map((row) => row.id)).not.toContain(appeal.id);
  });
});
