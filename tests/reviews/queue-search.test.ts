import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { listReviewQueue } from "@/lib/reviews/queries";
import { claimApplication, submitReview } from "@/lib/reviews/service";
import { createUser } from "@/tests/support/factories";
import { createOrganization, createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

const ids = (result: { items: { id: string }[] }) => result.items.map((item) => item.id).sort();

describe("the queue's search language against the database", () => {
  it("combines fields, scores, review counts, age, assignment and free text with AND, OR, NOT and parentheses", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const tag = `s${Date.now()}`;
    const { organization, owner } = await createOrganization({ name: `${tag} Northwind` });
    const risky = await createSubmittedApplication({ organizationId: organization.id, createdById: owner.id, productName: `${tag} chatbot`, stage: "PRODUCTION", categorySlug: `${tag}-chatbot`, submittedAt: new Date(Date.now() - 10 * 24 * 3600_000) });
    const calm = await createSubmittedApplication({ productName: `${tag} drafts`, track: "ACADEMIC" });
    const fresh = await createSubmittedApplication({ productName: `${tag} fresh` });
    for (const [application, risk, misusePlan] of [[risky, 5, 1], [calm, 2, 4]] as const) {
      const reviewer = await createUser({ role: "REVIEWER" });
      await claimApplication({ actor: reviewer, input: { applicationId: application.id } });
      await submitReview({ actor: reviewer, input: { applicationId: application.id, scores: scoresWith({ risk, misusePlan }), recommendation: "APPROVE" } });
    }
    await db.application.update({ where: { id: calm.id }, data: { hasDisagreement: true } });
    await claimApplication({ actor: admin, input: { applicationId: fresh.id } });

    const search = async (q: string) => ids(await listReviewQueue({ actor: admin, input: { q: `${tag} (${q})` } }));
    expect(await search(`org:"${tag} Northwind" risk:>=4 misuse:<=2`)).toEqual([risky.id]);
    expect(await search("stage:production")).toEqual([risky.id]);
    expect(await search(`cat:${tag}-chat`)).toEqual([risky.id]);
    expect(await search("track:academic OR disagreement")).toEqual([calm.id]);
    expect(await search("reviews:<1")).toEqual([fresh.id]);
    expect(await search("reviews:=1 NOT risk:>3")).toEqual([calm.id]);
    expect(await search("age:>3d")).toEqual([risky.id]);
    expect(await search("assigned:me")).toEqual([fresh.id]);
    // Claiming moved every one of them into review.
    expect(await search("status:submitted")).toEqual([]);
    expect(await search("status:in_review")).toEqual([risky.id, calm.id, fresh.id].sort());
    expect(await search("chatbot OR fresh")).toEqual([risky.id, fresh.id].sort());
    expect(await search("NOT (chatbot OR fresh)")).toEqual([calm.id]);
  });

  it("counts a search's matches exactly, also on a page past the last one", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const tag = `p${Date.now()}`;
    const made = await Promise.all([1, 2, 3].map((n) => createSubmittedApplication({ productName: `${tag} item ${n}` })));
    const first = await listReviewQueue({ actor: admin, input: { q: tag } });
    expect(first).toMatchObject({ total: 3, isTotalExact: true, pageCount: 1 });
    expect(ids(first)).toEqual(made.map((application) => application.id).sort());
    expect(await listReviewQueue({ actor: admin, input: { q: tag, page: "5" } })).toMatchObject({ items: [], total: 3, isTotalExact: true, pageCount: 1 });
  });

  it("an invalid search returns no items and says what is wrong and where", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    await createSubmittedApplication();
    const result = await listReviewQueue({ actor: reviewer, input: { q: "stage:prod" } });
    expect(result).toMatchObject({ items: [], total: 0, searchError: expect.stringMatching(/stage: expects one of access, production, not "prod" \(at column 7\)/) });
    expect((await listReviewQueue({ actor: reviewer, input: {} })).searchError).toBeNull();
  });
});
