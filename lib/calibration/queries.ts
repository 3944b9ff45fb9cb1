// The admin's calibration report: inter-rater agreement, reviewer deviation, the widest disagreements, time to
// first review and to decision by stage and track, and the overdue items.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { questionKeys, questions, type QuestionKey } from "@/lib/reviews/schema";
import { getReviewSettings } from "@/lib/reviews/settings";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { hoursBetween, krippendorffAlpha, reviewerDeviations, shareWithin, summarizeDurations, widestSpreads, type AlphaResult, type DurationSummary, type ScoredReview } from "./metrics";
import { decisionTargetHours, overdueApplicationWhere } from "./reminders";
import { calibrationFilterSchema, type CalibrationPeriod } from "./schema";

export const OVERDUE_LIST_LIMIT = 50;
const DAY_MS = 86_400_000;
const stages = ["ACCESS", "PRODUCTION"] as const;
const tracks = ["STANDARD", "ACADEMIC"] as const;

/** A stored review's score for one question, or undefined when the stored JSON lacks it. */
function scoreOf(scores: unknown, key: QuestionKey): number | undefined {
  if (typeof scores !== "object" || scores === null || !(key in scores)) return undefined;
  const entry: unknown = (scores as Record<string, unknown>)[key];
  if (typeof entry !== "object" || entry === null || !("score" in entry)) return undefined;
  const score = (entry as { score: unknown }).score;
  return typeof score === "number" && Number.isFinite(score) ? score : undefined;
}

interface TimingSourceRow {
  stage: string;
  track: string;
  firstReviewHours: number | null;
  decisionHours: number | null;
}

export interface TimingRow {
  stage: (typeof stages)[number];
  track: (typeof tracks)[number];
  submitted: number;
  firstReview: DurationSummary;
  decision: DurationSummary;
  targetHours: number;
  /** Share of the decided items decided within the target; undefined when none was decided. */
  withinTarget: number | undefined;
}

export async function getCalibrationReport({ actor, input, now = new Date() }: { actor: SessionUser; input: unknown; now?: Date }) {
  assertAdmin(actor, "see the calibration report");
  const { period } = parseInput(calibrationFilterSchema, input);
  const since = new Date(now.getTime() - Number(period) * DAY_MS);
  const settings = await getReviewSettings();
  const overdueWhere = overdueApplicationWhere(settings, now);
  const [reviews, applications, overdue, overdueCount] = await Promise.all([
    db.review.findMany({ where: { submittedAt: { gte: since, lte: now } }, select: { applicationId: true, reviewerId: true, scores: true } }),
    // Per application submitted in the period: hours to its first review and first decision of that submission.
    db.$queryRaw<TimingSourceRow[]>`
      SELECT a.stage::text AS stage, a.track::text AS track,
             (EXTRACT(EPOCH FROM (SELECT min(r."submittedAt") FROM "Review" r WHERE r."applicationId" = a.id AND r."submittedAt" >= a."submittedAt") - a."submittedAt") / 3600)::float8 AS "firstReviewHours",
             (EXTRACT(EPOCH FROM (SELECT min(d."createdAt") FROM "Decision" d WHERE d."applicationId" = a.id AND d."createdAt" >= a."submittedAt") - a."submittedAt") / 3600)::float8 AS "decisionHours"
      FROM "Application" a
      WHERE a."submittedAt" >= ${since}::timestamp AND a."submittedAt" <= ${now}::timestamp AND a.status <> 'DRAFT'`,
    db.application.findMany({
      where: overdueWhere,
      select: {
        id: true,
        productName: true,
        stage: true,
        track: true,
        status: true,
        submittedAt: true,
        organization: { select: { name: true } },
        assignments: { select: { reviewer: { select: { name: true, email: true } } }, orderBy: { createdAt: "asc" } },
      },
      orderBy: { submittedAt: "asc" },
      take: OVERDUE_LIST_LIMIT,
    }),
    db.application.count({ where: overdueWhere }),
  ]);

  const scored: ScoredReview[] = reviews.map((review) => ({
    applicationId: review.applicationId,
    reviewerId: review.reviewerId,
    scores: Object.fromEntries(questionKeys.flatMap((key) => {
      const score = scoreOf(review.scores, key);
      return score === undefined ? [] : [[key, score]];
    })),
  }));
  const byApplication = new Map<string, ScoredReview[]>();
  for (const review of scored) byApplication.set(review.applicationId, [...(byApplication.get(review.applicationId) ?? []), review]);
  const agreement: { key: QuestionKey; title: string; result: AlphaResult }[] = questionKeys.map((key) => ({
    key,
    title: questions[key].title,
    result: krippendorffAlpha(
      [...byApplication.values()].map((group) => group.map((review) => review.scores[key]).filter((score): score is number => score !== undefined)),
      "ordinal",
    ),
  }));
  const rawDeviations = reviewerDeviations(scored, questionKeys);
  const rawSpreads = widestSpreads(scored, questionKeys, 10);
  // Names only for the rows shown, not for every review of the period.
  const [reviewers, spreadApplications] = await Promise.all([
    db.user.findMany({ where: { id: { in: rawDeviations.map((row) => row.reviewerId) } }, select: { id: true, name: true, email: true } }),
    db.application.findMany({ where: { id: { in: rawSpreads.map((row) => row.applicationId) } }, select: { id: true, productName: true } }),
  ]);
  const reviewerNames = new Map(reviewers.map((user) => [user.id, user.name || user.email]));
  const productNames = new Map(spreadApplications.map((application) => [application.id, application.productName]));
  const deviations = rawDeviations.map((row) => ({ ...row, reviewerName: reviewerNames.get(row.reviewerId) ?? row.reviewerId }));
  const spreads = rawSpreads.map((row) => ({
    ...row,
    productName: productNames.get(row.applicationId) || "Untitled application",
    questionTitle: questions[row.questionKey as QuestionKey].title,
  }));

  const timing: TimingRow[] = stages.flatMap((stage) =>
    tracks.map((track) => {
      const group = applications.filter((application) => application.stage === stage && application.track === track);
      const firstReviewHours = group.flatMap((row) => (row.firstReviewHours === null ? [] : [row.firstReviewHours]));
      const decisionHours = group.flatMap((row) => (row.decisionHours === null ? [] : [row.decisionHours]));
      const targetHours = decisionTargetHours(settings, stage);
      return { stage, track, submitted: group.length, firstReview: summarizeDurations(firstReviewHours), decision: summarizeDurations(decisionHours), targetHours, withinTarget: shareWithin(decisionHours, targetHours) };
    }),
  );

  return {
    period: period satisfies CalibrationPeriod,
    since,
    agreement,
    deviations,
    spreads,
    timing,
    overdue: overdue.map((application) => ({
      ...application,
      ageHours: application.submittedAt ? hoursBetween(application.submittedAt, now) : 0,
      targetHours: decisionTargetHours(settings, application.stage),
      assignees: application.assignments.map((assignment) => assignment.reviewer.name || assignment.reviewer.email),
    })),
    overdueCount,
  };
}

export type CalibrationReport = Awaited<ReturnType<typeof getCalibrationReport>>;
