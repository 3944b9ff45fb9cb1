// Overdue items (submitted or in review, undecided, older than their stage's decision target) and the one-time
// reminder to each reviewer assigned to one. The server process checks every few minutes (instrumentation.ts).
import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { notifyUsers } from "@/lib/notifications";
import { processSingleton } from "@/lib/process";
import type { ReviewSettings } from "@/lib/reviews/schema";
import { getReviewSettings } from "@/lib/reviews/settings";
import { HOUR_MS } from "./metrics";

export const REMINDER_INTERVAL_MS = 5 * 60_000;
const REMINDER_BATCH = 500;

export function decisionTargetHours(settings: ReviewSettings, stage: "ACCESS" | "PRODUCTION"): number {
  return stage === "PRODUCTION" ? settings.decisionTargetHoursProduction : settings.decisionTargetHoursAccess;
}

/** Applications waiting for a decision for longer than their stage's target at `now`. */
export function overdueApplicationWhere(settings: ReviewSettings, now: Date): Prisma.ApplicationWhereInput {
  const cutoff = (stage: "ACCESS" | "PRODUCTION") => new Date(now.getTime() - decisionTargetHours(settings, stage) * HOUR_MS);
  return {
    status: { in: ["SUBMITTED", "IN_REVIEW"] },
    OR: [
      { stage: "ACCESS", submittedAt: { lt: cutoff("ACCESS") } },
      { stage: "PRODUCTION", submittedAt: { lt: cutoff("PRODUCTION") } },
    ],
  };
}

/**
 * Reminds each reviewer assigned to (or who claimed) an overdue item they have not yet reviewed in its current
 * version, once per assignment: the guarded update of remindedAt decides, so concurrent runs send one reminder.
 */
export async function sendOverdueReminders(now: Date = new Date(), batchSize = REMINDER_BATCH): Promise<number> {
  const settings = await getReviewSettings();
  let sent = 0;
  let cursor: string | undefined;
  // In pages by id: assignments already reviewed stay unreminded and must not hide the ones after them.
  for (;;) {
    const assignments = await db.reviewAssignment.findMany({
      where: { remindedAt: null, application: overdueApplicationWhere(settings, now), ...(cursor ? { id: { gt: cursor } } : {}) },
      select: {
        id: true,
        reviewerId: true,
        application: { select: { id: true, productName: true, stage: true, currentVersion: true, reviews: { select: { reviewerId: true, version: true } } } },
      },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    for (const { id, reviewerId, application } of assignments) {
      const hasReviewed = application.reviews.some((review) => review.reviewerId === reviewerId && review.version >= application.currentVersion);
      if (!hasReviewed && (await remindOnce(id, reviewerId, application, decisionTargetHours(settings, application.stage), now))) sent += 1;
    }
    if (assignments.length < batchSize) return sent;
    cursor = assignments.at(-1)?.id;
  }
}

async function remindOnce(assignmentId: string, reviewerId: string, application: { id: string; productName: string; stage: "ACCESS" | "PRODUCTION" }, targetHours: number, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.reviewAssignment.updateMany({ where: { id: assignmentId, remindedAt: null }, data: { remindedAt: now } });
    if (count !== 1) return false;
    await notifyUsers(
      {
        userIds: [reviewerId],
        title: `Overdue: ${application.productName || "an application"}`,
        body: `This ${application.stage === "PRODUCTION" ? "production review" : "access request"} has waited longer than its ${targetHours}-hour decision target. Please submit your review.`,
        href: `/review/applications/${application.id}`,
      },
      tx,
    );
    return true;
  });
}

/** Started once per server process by instrumentation.ts: checks for overdue items now and every 5 minutes. */
export function startReminderLoop(): void {
  processSingleton("reminderLoop", () => {
    const run = () => {
      sendOverdueReminders().then(
        (sent) => {
          if (sent > 0) logger().info({ sent }, "overdue review reminders sent");
        },
        (error: unknown) => logger().error({ err: error }, "overdue review reminders failed"),
      );
    };
    const timer = setInterval(run, REMINDER_INTERVAL_MS);
    timer.unref();
    run();
    return { timer };
  });
}
