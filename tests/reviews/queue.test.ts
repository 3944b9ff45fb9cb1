import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { findNextQueueItem, listReviewQueue } from "@/lib/reviews/queries";
import { claimApplication, declareConflict, submitReview } from "@/lib/reviews/service";
import { createUser } from "@/tests/support/factories";
import { createOrganization, createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

const ids = (result: { items: { id: string }[] }) => result.items.map((item) => item.id);

describe("review queue", () => {
  it("orders by priority, then the oldest submission, and lists only items awaiting review", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const tag = `order-${Date.now()}`;
    const older = await createSubmittedApplication({ productName: `${tag} older`, submittedAt: new Date("2026-01-01") });
    const newer = await createSubmittedApplication({ productName: `${tag} newer`, submittedAt: new Date("2026-02-01") });
    const academic = await createSubmittedApplication({ productName: `${tag} fairness`, track: "ACADEMIC", priority: 10, submittedAt: new Date("2026-03-01") });
    await createSubmittedApplication({ productName: `${tag} draft`, status: "DRAFT" });
    await createSubmittedApplication({ productName: `${tag} approved`, status: "APPROVED" });
    const result = await listReviewQueue({ actor: reviewer, input: { q: tag } });
    expect(ids(result)).toEqual([academic.id, older.id, newer.id]);
    expect(result.total).toBe(3);
  });

  it("hides conflicted items: own organisation, own submission and declared conflicts", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const tag = `conflict-${Date.now()}`;
    const { organization } = await createOrganization({ owner: reviewer });
    await createSubmittedApplication({ productName: `${tag} own org`, organizationId: organization.id, createdById: (await createUser()).id });
    await createSubmittedApplication({ productName: `${tag} own submission`, createdById: reviewer.id, organizationId: (await createOrganization()).organization.id });
    const declared = await createSubmittedApplication({ productName: `${tag} declared` });
    const open = await createSubmittedApplication({ productName: `${tag} open` });
    await declareConflict({ actor: reviewer, input: { applicationId: declared.id, reason: "Former employer." } });
    expect(ids(await listReviewQueue({ actor: reviewer, input: { q: tag } }))).toEqual([open.id]);
  });

  it("claimed items are offered only to their assignees until more reviewers are needed", async () => {
    const [first, second] = [await createUser({ role: "REVIEWER" }), await createUser({ role: "REVIEWER" })];
    const tag = `claim-${Date.now()}`;
    const access = await createSubmittedApplication({ productName: `${tag} access` });
    const production = await createSubmittedApplication({ productName: `${tag} production`, stage: "PRODUCTION" });
    await claimApplication({ actor: first, input: { applicationId: access.id } });
    await claimApplication({ actor: first, input: { applicationId: production.id } });
    expect(ids(await listReviewQueue({ actor: second, input: { q: tag } }))).toEqual([production.id]);
    expect(ids(await listReviewQueue({ actor: first, input: { q: tag, assigned: "me" } })).sort()).toEqual([access.id, production.id].sort());
    expect(ids(await listReviewQueue({ actor: second, input: { q: tag, assigned: "none" } }))).toEqual([]);
    const admin = await createUser({ role: "ADMIN" });
    expect(await listReviewQueue({ actor: admin, input: { q: tag } })).toMatchObject({ total: 2 });
  });

  it("filters by stage, track, category, status, disagreement and high risk, and searches organisation names", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const tag = `filter${Date.now()}`;
    const { organization, owner } = await createOrganization({ name: `${tag} University` });
    const academic = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id, track: "ACADEMIC", productName: "Bias study", categorySlug: `${tag}-research` });
    const production = await createSubmittedApplication({ productName: `${tag} live`, stage: "PRODUCTION", status: "IN_REVIEW" });
    await db.application.update({ where: { id: production.id }, data: { hasDisagreement: true, isHighRisk: true } });
    expect(ids(await listReviewQueue({ actor: reviewer, input: { q: `${tag} univ` } }))).toEqual([academic.id]);
    expect(ids(await listReviewQueue({ actor: reviewer, input: { q: tag, track: "ACADEMIC" } }))).toEqual([academic.id]);
    expect(ids(await listReviewQueue({ actor: reviewer, input: { category: `${tag}-research` } }))).toEqual([academic.id]);
    expect(ids(await listReviewQueue({ actor: reviewer, input: { category: "no-such-category" } }))).toEqual([]);
    expect(ids(await listReviewQueue({ actor: reviewer, input: { q: tag, stage: "PRODUCTION" } }))).toEqual([production.id]);
    expect(ids(await listReviewQueue({ actor: reviewer, input: { q: tag, status: "IN_REVIEW" } }))).toEqual([production.id]);
    expect(ids(await listReviewQueue({ actor: reviewer, input: { q: tag, disagreement: "1" } }))).toEqual([production.id]);
    expect(ids(await listReviewQueue({ actor: reviewer, input: { q: tag, highRisk: "1" } }))).toEqual([production.id]);
    // A search for LIKE wildcards matches them literally.
    expect(ids(await listReviewQueue({ actor: reviewer, input: { q: "%" } }))).toEqual([]);
  });

  it("paginates 25 to a page", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const { organization, owner } = await createOrganization({ name: `pages-${Date.now()}` });
    for (let index = 0; index < 27; index += 1) {
      await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id, productName: `page item ${index}`, submittedAt: new Date(2026, 0, 1, 0, index) });
    }
    const second = await listReviewQueue({ actor: reviewer, input: { q: organization.name, page: "2" } });
    expect(second).toMatchObject({ total: 27, page: 2, pageCount: 2 });
    expect(second.items.map((item) => item.productName)).toEqual(["page item 25", "page item 26"]);
  });

  it("“submit and next” goes to one's next claimed item, then to an open one", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const application = await createSubmittedApplication({ priority: 1000 });
    const claimed = await createSubmittedApplication({ priority: 999 });
    await claimApplication({ actor: reviewer, input: { applicationId: application.id } });
    await claimApplication({ actor: reviewer, input: { applicationId: claimed.id } });
    await submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith(), recommendation: "APPROVE" } });
    expect(await findNextQueueItem({ actor: reviewer, afterId: application.id })).toBe(claimed.id);
    await submitReview({ actor: reviewer, input: { applicationId: claimed.id, scores: scoresWith(), recommendation: "APPROVE" } });
    const next = await findNextQueueItem({ actor: reviewer, afterId: claimed.id });
    expect(next).not.toBe(application.id);
    expect(next).not.toBe(claimed.id);
  });
});
