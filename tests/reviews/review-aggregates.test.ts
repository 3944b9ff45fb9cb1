import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listReviewQueue } from "@/lib/reviews/queries";
import { scoresSchema } from "@/lib/reviews/schema";
import { submitReview } from "@/lib/reviews/service";
import { createUser } from "@/tests/support/factories";
import { createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

/** What the search compared before the columns existed: the count and per-question mean over the Review rows. */
async function computedFromReviews(applicationId: string) {
  const reviews = await db.review.findMany({ where: { applicationId }, select: { scores: true } });
  const mean = (key: "risk" | "misusePlan") => {
    const scores = reviews.map((review) => scoresSchema.parse(review.scores)[key].score);
    return scores.length === 0 ? null : scores.reduce((sum, score) => sum + score, 0) / scores.length;
  };
  return { reviewCount: reviews.length, riskMean: mean("risk"), misusePlanMean: mean("misusePlan") };
}

async function stored(applicationId: string) {
  return db.application.findUniqueOrThrow({ where: { id: applicationId }, select: { reviewCount: true, riskMean: true, misusePlanMean: true } });
}

async function expectInStep(applicationId: string, expected: { reviewCount: number; riskMean: number | null; misusePlanMean: number | null }) {
  expect(await computedFromReviews(applicationId)).toEqual(expected);
  expect(await stored(applicationId)).toEqual(expected);
}

/** More reviewers than the stage requires: assigned directly (claiming stops at the required number). */
async function assign(applicationId: string, reviewer: { id: string }) {
  await db.reviewAssignment.create({ data: { applicationId, reviewerId: reviewer.id } });
}

async function review(applicationId: string, reviewer: Awaited<ReturnType<typeof createUser>>, scores: { risk: number; misusePlan: number }) {
  await submitReview({ actor: reviewer, input: { applicationId, scores: scoresWith(scores), recommendation: "APPROVE" } });
}

describe("the review aggregates the queue search reads", () => {
  it("stay equal to the Review rows through submit, revise, a direct write and a removal", async () => {
    const application = await createSubmittedApplication();
    await expectInStep(application.id, { reviewCount: 0, riskMean: null, misusePlanMean: null });

    const [first, second, third] = await Promise.all([createUser({ role: "REVIEWER" }), createUser({ role: "REVIEWER" }), createUser({ role: "REVIEWER" })]);
    for (const reviewer of [first, second, third]) await assign(application.id, reviewer);

    await review(application.id, first, { risk: 5, misusePlan: 1 });
    await expectInStep(application.id, { reviewCount: 1, riskMean: 5, misusePlanMean: 1 });

    await review(application.id, second, { risk: 2, misusePlan: 4 });
    await expectInStep(application.id, { reviewCount: 2, riskMean: 3.5, misusePlanMean: 2.5 });

    // A revision replaces the reviewer's scores; the earlier version is a ReviewRevision and no longer counts.
    await review(application.id, first, { risk: 3, misusePlan: 2 });
    await expectInStep(application.id, { reviewCount: 2, riskMean: 2.5, misusePlanMean: 3 });

    await review(application.id, third, { risk: 5, misusePlan: 5 });
    await expectInStep(application.id, { reviewCount: 3, riskMean: 10 / 3, misusePlanMean: 11 / 3 });

    // Writes outside the review service (an operator's fix, a script) keep them in step too.
    const thirdReview = await db.review.findUniqueOrThrow({ where: { applicationId_reviewerId: { applicationId: application.id, reviewerId: third.id } } });
    await db.review.update({ where: { id: thirdReview.id }, data: { scores: scoresWith({ risk: 1, misusePlan: 2 }) as unknown as Prisma.InputJsonValue } });
    await expectInStep(application.id, { reviewCount: 3, riskMean: 2, misusePlanMean: 8 / 3 });

    await db.review.delete({ where: { id: thirdReview.id } });
    await expectInStep(application.id, { reviewCount: 2, riskMean: 2.5, misusePlanMean: 3 });

    await db.review.deleteMany({ where: { applicationId: application.id } });
    await expectInStep(application.id, { reviewCount: 0, riskMean: null, misusePlanMean: null });
  });

  it("the search compares the exact mean, and an application without reviews matches neither a range nor its NOT", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const tag = `agg${Date.now()}`;
    const thirds = await createSubmittedApplication({ productName: `${tag} thirds` });
    const unreviewed = await createSubmittedApplication({ productName: `${tag} unreviewed` });
    for (const risk of [3, 3, 4]) {
      const reviewer = await createUser({ role: "REVIEWER" });
      await assign(thirds.id, reviewer);
      await review(thirds.id, reviewer, { risk, misusePlan: 3 });
    }
    const search = async (q: string) => (await listReviewQueue({ actor: admin, input: { q: `${tag} (${q})` } })).items.map((item) => item.id);
    // The mean is 10/3: above 3.33, below 3.34.
    expect(await search("risk:>3.33")).toEqual([thirds.id]);
    expect(await search("risk:>=3.34")).toEqual([]);
    expect(await search("misuse:=3 reviews:=3")).toEqual([thirds.id]);
    expect(await search("NOT risk:>=4")).toEqual([thirds.id]);
    expect(await search("reviews:=0")).toEqual([unreviewed.id]);
  });

  it("deleting a reviewed application removes its reviews without an error", async () => {
    const application = await createSubmittedApplication();
    const reviewer = await createUser({ role: "REVIEWER" });
    await assign(application.id, reviewer);
    await review(application.id, reviewer, { risk: 4, misusePlan: 2 });
    await db.application.delete({ where: { id: application.id } });
    expect(await db.review.count({ where: { applicationId: application.id } })).toBe(0);
  });
});
