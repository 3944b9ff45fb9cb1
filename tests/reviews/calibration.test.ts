import { describe, expect, it } from "vitest";
import { sendOverdueReminders } from "@/lib/calibration/reminders";
import { getCalibrationReport } from "@/lib/calibration/queries";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getReviewSettings, updateReviewSettings } from "@/lib/reviews/settings";
import { createUser } from "@/tests/support/factories";
import { createSubmittedApplication, scoresWith } from "@/tests/support/review-factories";

const HOUR = 3_600_000;
const now = new Date("2026-11-30T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR);
const later = (date: Date, hours: number) => new Date(date.getTime() + hours * HOUR);

async function review(applicationId: string, reviewerId: string, overrides: Parameters<typeof scoresWith>[0], submittedAt: Date) {
  await db.review.create({ data: { applicationId, reviewerId, version: 1, scores: scoresWith(overrides) as unknown as Prisma.InputJsonValue, recommendation: "APPROVE", submittedAt } });
}

describe("calibration report", () => {
  it("is refused to reviewers and applicants, and a bad period is invalid", async () => {
    for (const role of ["REVIEWER", "APPLICANT"] as const) {
      await expect(getCalibrationReport({ actor: await createUser({ role }), input: {} })).rejects.toMatchObject({ kind: "forbidden" });
    }
    await expect(getCalibrationReport({ actor: await createUser({ role: "ADMIN", status: "SUSPENDED" }), input: {} })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(getCalibrationReport({ actor: await createUser({ role: "ADMIN" }), input: { period: "7" } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { period: ["Choose a period of 30, 90 or 365 days."] },
    });
  });

  it("reports agreement, deviation, spread, time to decision and overdue items for the period", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const [lenient, strict] = [await createUser({ role: "REVIEWER" }), await createUser({ role: "REVIEWER" })];
    // Two applications reviewed twice in the period, one reviewed long before it.
    const first = await createSubmittedApplication({ status: "APPROVED", submittedAt: hoursAgo(100), productName: "Agreed product" });
    const second = await createSubmittedApplication({ status: "APPROVED", submittedAt: hoursAgo(200), productName: "Disputed product" });
    const old = await createSubmittedApplication({ status: "APPROVED", submittedAt: hoursAgo(24 * 200) });
    await review(first.id, lenient.id, { risk: 2 }, later(hoursAgo(100), 2));
    await review(first.id, strict.id, { risk: 3 }, later(hoursAgo(100), 4));
    await review(second.id, lenient.id, { risk: 1, supportedUseCase: 5 }, later(hoursAgo(200), 10));
    await review(second.id, strict.id, { risk: 5, supportedUseCase: 1 }, later(hoursAgo(200), 30));
    await review(old.id, lenient.id, {}, later(hoursAgo(24 * 200), 1));
    await review(old.id, strict.id, { risk: 5 }, later(hoursAgo(24 * 200), 1));
    await db.decision.create({ data: { applicationId: first.id, adminId: admin.id, outcome: "APPROVED", createdAt: later(hoursAgo(100), 20) } });
    await db.decision.create({ data: { applicationId: second.id, adminId: admin.id, outcome: "APPROVED", createdAt: later(hoursAgo(200), 48) } });
    // Overdue: an access request waiting 30 h (target 24 h); not overdue: one waiting 5 h.
    const overdue = await createSubmittedApplication({ status: "IN_REVIEW", submittedAt: hoursAgo(30), productName: "Waiting product" });
    await createSubmittedApplication({ submittedAt: hoursAgo(5) });
    await db.reviewAssignment.create({ data: { applicationId: overdue.id, reviewerId: lenient.id } });

    const report = await getCalibrationReport({ actor: admin, input: {}, now });
    expect(report.period).toBe("90");
    const risk = report.agreement.find((row) => row.key === "risk");
    expect(risk?.result).toMatchObject({ units: 2, pairableValues: 4 });
    expect(risk?.result.alpha).toBeTypeOf("number");
    // Everyone gave 4 on end users in the period: no variation, so no alpha.
    expect(report.agreement.find((row) => row.key === "endUsers")?.result).toEqual({ alpha: undefined, units: 2, pairableValues: 4 });
    // lenient vs strict: risk -1 and -4, supportedUseCase 0 and +4, others 0 -> (-1 - 4 + 4) / 10.
    expect(report.deviations.find((row) => row.reviewerId === lenient.id)).toMatchObject({ meanDeviation: -0.1, scores: 10 });
    expect(report.deviations.find((row) => row.reviewerId === strict.id)).toMatchObject({ meanDeviation: 0.1, scores: 10 });
    expect(report.spreads.map((row) => [row.productName, row.spread])).toEqual([["Disputed product", 4], ["Agreed product", 1]]);

    const access = report.timing.find((row) => row.stage === "ACCESS" && row.track === "STANDARD");
    // Four access requests submitted in the period; two decided, after 20 h (within 24 h) and 48 h.
    expect(access).toMatchObject({ submitted: 4, targetHours: 24, withinTarget: 0.5 });
    expect(access?.firstReview).toEqual({ n: 2, p50: 2, p90: 10 });
    expect(access?.decision).toEqual({ n: 2, p50: 20, p90: 48 });
    expect(report.timing.find((row) => row.stage === "PRODUCTION" && row.track === "ACADEMIC")).toMatchObject({ submitted: 0, withinTarget: undefined });

    expect(report.overdueCount).toBe(1);
    expect(report.overdue[0]).toMatchObject({ id: overdue.id, ageHours: 30, targetHours: 24, assignees: [lenient.name] });

    // The 365-day period also counts the old application.
    const year = await getCalibrationReport({ actor: admin, input: { period: "365" }, now });
    expect(year.agreement.find((row) => row.key === "risk")?.result.units).toBe(3);
  });
});

describe("decision targets", () => {
  it("default to 24 hours for an access request and 120 for a production review, and refuse a target under an hour", async () => {
    const admin = await createUser({ role: "ADMIN" });
    expect(await getReviewSettings()).toMatchObject({ decisionTargetHoursAccess: 24, decisionTargetHoursProduction: 120 });
    await expect(updateReviewSettings({ actor: admin, input: { ...(await getReviewSettings()), decisionTargetHoursAccess: 0 } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { decisionTargetHoursAccess: ["At least 1 hour."] },
    });
    await expect(updateReviewSettings({ actor: await createUser({ role: "REVIEWER" }), input: { ...(await getReviewSettings()), decisionTargetHoursAccess: 48 } })).rejects.toMatchObject({ kind: "forbidden" });
    expect(await getReviewSettings()).toMatchObject({ decisionTargetHoursAccess: 24 });
  });
});

describe("overdue reminders", () => {
  it("reminds each assigned reviewer of an overdue item once, and nobody else", async () => {
    const admin = await createUser({ role: "ADMIN" });
    // The database is shared by this file's tests: send what the earlier ones left overdue first.
    await sendOverdueReminders(later(now, 1_000));
    await updateReviewSettings({ actor: admin, input: { ...(await getReviewSettings()), decisionTargetHoursAccess: 10, decisionTargetHoursProduction: 100 } });
    expect(await db.auditLog.count({ where: { action: "settings.reviews.updated", actorId: admin.id } })).toBe(1);
    const [assigned, done, notYet, production] = await Promise.all([1, 2, 3, 4].map(() => createUser({ role: "REVIEWER" })));
    if (!assigned || !done || !notYet || !production) throw new Error("reviewers");
    const overdue = await createSubmittedApplication({ status: "IN_REVIEW", submittedAt: hoursAgo(11) });
    const fresh = await createSubmittedApplication({ status: "IN_REVIEW", submittedAt: hoursAgo(9) });
    const productionItem = await createSubmittedApplication({ stage: "PRODUCTION", status: "IN_REVIEW", submittedAt: hoursAgo(50) });
    const decided = await createSubmittedApplication({ status: "APPROVED", submittedAt: hoursAgo(50) });
    await db.reviewAssignment.createMany({
      data: [
        { applicationId: overdue.id, reviewerId: assigned.id },
        { applicationId: overdue.id, reviewerId: done.id },
        { applicationId: fresh.id, reviewerId: notYet.id },
        { applicationId: productionItem.id, reviewerId: production.id },
        { applicationId: decided.id, reviewerId: notYet.id },
      ],
    });
    // A reviewer who already reviewed the current version is not reminded.
    await review(overdue.id, done.id, {}, hoursAgo(1));

    // Pages of one assignment: the reviewed one skipped on a page does not stop the pass.
    expect(await sendOverdueReminders(now, 1)).toBe(1);
    expect(await sendOverdueReminders(now)).toBe(0);
    const notifications = await db.notification.findMany({ where: { userId: { in: [assigned.id, done.id, notYet.id, production.id] } } });
    expect(notifications.map((row) => [row.userId, row.href])).toEqual([[assigned.id, `/review/applications/${overdue.id}`]]);
    expect(await db.outboxEmail.count({ where: { to: assigned.email } })).toBe(1);
    expect((await db.reviewAssignment.findFirstOrThrow({ where: { applicationId: overdue.id, reviewerId: assigned.id } })).remindedAt).toEqual(now);

    // Later the production item passes its 100-hour target too: only its reviewer is reminded, once.
    const muchLater = later(now, 60);
    expect(await sendOverdueReminders(muchLater)).toBe(2);
    expect(await db.notification.count({ where: { userId: production.id } })).toBe(1);
    expect(await db.notification.count({ where: { userId: notYet.id } })).toBe(1);
    expect(await db.notification.count({ where: { userId: assigned.id } })).toBe(1);
    expect(await sendOverdueReminders(muchLater)).toBe(0);
  });
});
