import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { MAX_BULK, previewBulkAction, runBulkAction } from "@/lib/reviews/bulk";
import { claimApplication, declareConflict, submitReview } from "@/lib/reviews/service";
import { createUser } from "@/tests/support/factories";
import { createOrganization, createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

const ids = (items: { id: string }[]) => items.map((item) => item.id).sort();
const selection = (applications: { id: string }[]) => ({ scope: "selection", ids: applications.map((application) => application.id) });

/** A submitted application with its one required review in (an access request), and its organisation's owner. */
async function reviewed(productName?: string) {
  const { organization, owner } = await createOrganization();
  const application = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id, productName });
  const reviewer = await createUser({ role: "REVIEWER" });
  await claimApplication({ actor: reviewer, input: { applicationId: application.id } });
  await submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith(), recommendation: "REJECT" } });
  return { application, owner };
}

describe("bulk assignment", () => {
  it("previews exactly what running does: each ready item assigned, audited and notified on its own; skips say why", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const reviewer = await createUser({ role: "REVIEWER" });
    const open = [await createSubmittedApplication(), await createSubmittedApplication()];
    const alreadyMine = await createSubmittedApplication();
    await claimApplication({ actor: reviewer, input: { applicationId: alreadyMine.id } });
    const full = await createSubmittedApplication();
    await claimApplication({ actor: await createUser({ role: "REVIEWER" }), input: { applicationId: full.id } });
    const conflicted = await createSubmittedApplication();
    await declareConflict({ actor: reviewer, input: { applicationId: conflicted.id, reason: "I advise this organisation." } });
    const decided = await createSubmittedApplication({ status: "APPROVED" });
    const input = { target: selection([...open, alreadyMine, full, conflicted, decided]), operation: { action: "assign", reviewerId: reviewer.id } };

    const preview = await previewBulkAction({ actor: admin, input });
    expect(ids(preview.ready)).toEqual(ids(open));
    expect(Object.fromEntries(preview.skipped.map((item) => [item.id, item.reason]))).toEqual({
      [alreadyMine.id]: `${reviewer.email} is already assigned.`,
      [full.id]: "It already has the 1 reviewer it needs.",
      [conflicted.id]: `${reviewer.email} has a conflict of interest with it.`,
      [decided.id]: "It is approved, not awaiting review.",
    });
    expect(await db.reviewAssignment.count({ where: { applicationId: { in: ids(open) } } })).toBe(0);

    const result = await runBulkAction({ actor: admin, input });
    expect(ids(result.done)).toEqual(ids(preview.ready));
    expect(ids(result.skipped)).toEqual(ids(preview.skipped));
    for (const application of open) {
      expect(await db.reviewAssignment.count({ where: { applicationId: application.id, reviewerId: reviewer.id } })).toBe(1);
      expect(await db.auditLog.count({ where: { action: "review.assigned", targetId: application.id, actorId: admin.id } })).toBe(1);
      expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("IN_REVIEW");
    }
    expect(await db.notification.count({ where: { userId: reviewer.id, href: { in: open.map((application) => `/review/applications/${application.id}`) } } })).toBe(2);
    // The conflicted reviewer was never assigned.
    expect(await db.reviewAssignment.count({ where: { applicationId: conflicted.id } })).toBe(0);
  });

  it("skips and reports an item that became ineligible between the preview and the confirmation", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const reviewer = await createUser({ role: "REVIEWER" });
    const [first, second] = [await createSubmittedApplication(), await createSubmittedApplication()];
    const input = { target: selection([first, second]), operation: { action: "assign", reviewerId: reviewer.id } };
    expect(ids((await previewBulkAction({ actor: admin, input })).ready)).toEqual(ids([first, second]));
    // Meanwhile someone else claims the first one, and the reviewer declares a conflict on the second.
    await claimApplication({ actor: await createUser({ role: "REVIEWER" }), input: { applicationId: first.id } });
    await declareConflict({ actor: reviewer, input: { applicationId: second.id, reason: "A former employer." } });
    const result = await runBulkAction({ actor: admin, input });
    expect(result.done).toEqual([]);
    expect(Object.fromEntries(result.skipped.map((item) => [item.id, item.reason]))).toEqual({
      [first.id]: "It already has the 1 reviewer it needs.",
      [second.id]: `${reviewer.email} has a conflict of interest with it.`,
    });
  });

  it("takes a whole search, and refuses a search or a selection larger than the bound with a clear message", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const reviewer = await createUser({ role: "REVIEWER" });
    const tag = `bulk${randomBytes(3).toString("hex")}`;
    const matching = [await createSubmittedApplication({ productName: `${tag} one` }), await createSubmittedApplication({ productName: `${tag} two` })];
    await createSubmittedApplication({ productName: "Unrelated" });
    const search = { target: { scope: "search", filter: { q: tag, stage: "ACCESS" } }, operation: { action: "assign", reviewerId: reviewer.id } };
    expect(ids((await previewBulkAction({ actor: admin, input: search })).ready)).toEqual(ids(matching));
    expect(ids((await runBulkAction({ actor: admin, input: search })).done)).toEqual(ids(matching));

    await expect(previewBulkAction({ actor: admin, input: { ...search, target: { scope: "search", filter: { q: 'org:"' } } } })).rejects.toThrow(/The search could not be read: This quote is never closed/);
    const tooMany = Array.from({ length: MAX_BULK + 1 }, (_, index) => `id${index}`);
    await expect(previewBulkAction({ actor: admin, input: { ...search, target: { scope: "selection", ids: tooMany } } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { "target.ids": [`A bulk action takes at most ${MAX_BULK} applications: select fewer or narrow the search.`] },
    });
    const bigTag = `big${randomBytes(3).toString("hex")}`;
    const { organization, owner } = await createOrganization({ name: bigTag });
    await db.application.createMany({
      data: Array.from({ length: MAX_BULK + 1 }, (_, index) => ({ organizationId: organization.id, createdById: owner.id, status: "SUBMITTED" as const, productName: `${bigTag} ${index}`, description: "", answers: {}, currentVersion: 1, submittedAt: new Date() })),
    });
    await expect(previewBulkAction({ actor: admin, input: { ...search, target: { scope: "search", filter: { q: bigTag } } } })).rejects.toThrow(
      `This search finds more than the ${MAX_BULK} applications a bulk action takes: narrow the search.`,
    );
  });

  it("refuses a reviewer who is not active staff", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const applicant = await createUser({ role: "APPLICANT" });
    const application = await createSubmittedApplication();
    await expect(previewBulkAction({ actor: admin, input: { target: selection([application]), operation: { action: "assign", reviewerId: applicant.id } } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { reviewerId: ["Choose an active reviewer or administrator."] },
    });
  });
});

describe("bulk decisions", () => {
  it("rejects citing a policy category: one decision, audit record and notification per application; unreviewed ones are skipped", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const ready = [await reviewed(), await reviewed()];
    const unreviewed = await createSubmittedApplication();
    const category = await db.useCaseCategory.create({ data: { slug: `open-chat-${randomBytes(3).toString("hex")}`, name: "Open-ended chatbots", description: "", status: "NOT_SUPPORTED" } });
    const input = {
      target: selection([...ready.map((item) => item.application), unreviewed]),
      operation: { action: "reject", categorySlug: category.slug, message: "General chat is not supported." },
    };
    const preview = await previewBulkAction({ actor: admin, input });
    expect(preview.summary).toBe("Reject 2 applications, citing the policy category “Open-ended chatbots”; each applicant is notified.");
    expect(preview.skipped).toEqual([{ id: unreviewed.id, productName: unreviewed.productName, reason: "A decision needs 1 submitted review; it has 0." }]);

    const result = await runBulkAction({ actor: admin, input });
    expect(ids(result.done)).toEqual(ids(preview.ready));
    expect(result.message).toBe("Rejected 2 applications; 1 skipped.");
    for (const { application, owner } of ready) {
      const decision = await db.decision.findFirstOrThrow({ where: { applicationId: application.id } });
      expect(decision).toMatchObject({ outcome: "REJECTED", adminId: admin.id, message: "Policy category: Open-ended chatbots. General chat is not supported." });
      expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("REJECTED");
      expect(await db.auditLog.count({ where: { action: "decision.rejected", targetId: application.id } })).toBe(1);
      expect(await db.notification.count({ where: { userId: owner.id, href: `/applicant/applications/${application.id}` } })).toBe(1);
      expect(await db.outboxEmail.count({ where: { to: owner.email } })).toBe(1);
    }
    expect((await db.application.findUniqueOrThrow({ where: { id: unreviewed.id } })).status).toBe("SUBMITTED");
  });

  it("requests changes with the message, and skips an application the admin is conflicted on or that is already decided", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { application } = await reviewed();
    const own = await reviewed();
    await db.membership.create({ data: { organizationId: own.application.organizationId, userId: admin.id, role: "MEMBER" } });
    const rejected = await createSubmittedApplication({ status: "REJECTED" });
    const input = { target: selection([application, own.application, rejected]), operation: { action: "requestChanges", message: "Describe the end users." } };
    const result = await runBulkAction({ actor: admin, input });
    expect(ids(result.done)).toEqual([application.id]);
    expect(Object.fromEntries(result.skipped.map((item) => [item.id, item.reason]))).toEqual({
      [own.application.id]: "You have a conflict of interest with it.",
      [rejected.id]: "It is rejected, not awaiting a decision.",
    });
    expect(await db.decision.findFirstOrThrow({ where: { applicationId: application.id } })).toMatchObject({ outcome: "CHANGES_REQUESTED", message: "Describe the end users." });
    expect(await db.decision.count({ where: { applicationId: own.application.id } })).toBe(0);
  });

  it("asks for the reason and the cited category", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { application } = await reviewed();
    await expect(previewBulkAction({ actor: admin, input: { target: selection([application]), operation: { action: "reject", categorySlug: "", message: " " } } })).rejects.toMatchObject({
      fieldErrors: { "operation.categorySlug": ["Choose the policy category the rejection cites."], "operation.message": ["Give the reason for the rejection."] },
    });
    await expect(runBulkAction({ actor: admin, input: { target: selection([application]), operation: { action: "reject", categorySlug: "no-such-category", message: "Because." } } })).rejects.toMatchObject({
      fieldErrors: { categorySlug: ["Choose the policy category the rejection cites."] },
    });
    expect(await db.decision.count({ where: { applicationId: application.id } })).toBe(0);
  });

  it("keeps a rejection's reason short enough for the decision, whose message also names the category (100 characters at most)", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const { application } = await reviewed();
    const category = await db.useCaseCategory.create({ data: { slug: `long-${randomBytes(3).toString("hex")}`, name: "N".repeat(100), description: "", status: "NOT_SUPPORTED" } });
    const reject = (message: string) => ({ target: selection([application]), operation: { action: "reject", categorySlug: category.slug, message } });
    await expect(previewBulkAction({ actor: admin, input: reject("x".repeat(4_801)) })).rejects.toMatchObject({ fieldErrors: { "operation.message": ["Keep it under 4,800 characters."] } });
    const result = await runBulkAction({ actor: admin, input: reject("x".repeat(4_800)) });
    expect(result.message).toBe("Rejected 1 application.");
    const decision = await db.decision.findFirstOrThrow({ where: { applicationId: application.id } });
    expect(decision.message).toBe(`Policy category: ${"N".repeat(100)}. ${"x".repeat(4_800)}`);
  });
});

describe("who may run bulk actions", () => {
  it.each([
    ["a reviewer", { role: "REVIEWER" as const }],
    ["an applicant", { role: "APPLICANT" as const }],
    ["a suspended admin", { role: "ADMIN" as const, status: "SUSPENDED" as const }],
  ])("%s can neither preview nor run any bulk action, and nothing changes", async (_, account) => {
    const actor = await createUser(account);
    const { application } = await reviewed();
    const reviewer = await createUser({ role: "REVIEWER" });
    const category = await db.useCaseCategory.create({ data: { slug: `cat-${randomBytes(3).toString("hex")}`, name: "Any", description: "", status: "NOT_SUPPORTED" } });
    const operations = [
      { action: "assign", reviewerId: reviewer.id },
      { action: "requestChanges", message: "Change it." },
      { action: "reject", categorySlug: category.slug, message: "No." },
    ];
    for (const operation of operations) {
      for (const target of [selection([application]), { scope: "search", filter: {} }]) {
        await expect(previewBulkAction({ actor, input: { target, operation } })).rejects.toMatchObject({ kind: "forbidden" });
        await expect(runBulkAction({ actor, input: { target, operation } })).rejects.toMatchObject({ kind: "forbidden" });
      }
    }
    expect(await db.decision.count({ where: { applicationId: application.id } })).toBe(0);
    expect(await db.reviewAssignment.count({ where: { applicationId: application.id, reviewerId: reviewer.id } })).toBe(0);
  });
});
