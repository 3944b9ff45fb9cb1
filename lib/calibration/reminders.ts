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
export async function sendOverdueReminders(now: Date = new Date()): Promise<number> {
  const settings = await getReviewSettings();
  const assignments = await db.reviewAssignment.findMany({
    where: { remindedAt: null, application: overdueApplicationWhere(settings, now) },
    select: {
      id: true,
      reviewerId: true,
      application: { select: { id: true, productName: true, stage: true, currentVersion: true, submittedAt: true, reviews: { select: { reviewerId: true, version: true } } } },
    },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  let sent = 0;
  for (const { id, reviewerId, application } of assignments) {
    const hasReviewed = application.reviews.some((review) => review.reviewerId === reviewerId && review.version >= application.currentVersion);
    if (hasReviewed) continue;
    const target = decisionTargetHours(settings, application.stage);
    const isSent = await db.$transaction(async (tx) => {
      const { count } = await tx.reviewAssignment.updateMany({ where: { id, remindedAt: null }, data: { remindedAt: now } });
      if (count !== 1) return false;
      await notifyUsers(
        {
          userIds: [reviewerId],
          title: `Overdue: ${application.productName || "an application"}`,
          body: `This ${application.stage === "PRODUCTION" ? "production review" : "access request"} has waited longer than its ${target}-hour decision target. Please submit your review.`,
          href: `/review/applications/${application.id}`,
        },
        tx,
      );
      return true;
    });
    if (isSent) sent += 1;
  }
  return sent;
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
