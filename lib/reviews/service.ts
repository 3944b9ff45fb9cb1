// Reviewing: claims and assignments, conflicts of interest and scorecards (with revisions); decisions: lib/decisions.
import "server-only";
import { assertAdmin, assertStaff } from "@/lib/auth/policy";
import { z } from "zod";
import type { ApplicationStatus } from "@/lib/applications/status";
import { recordApplicationEvent, transitionApplication } from "@/lib/applications/transition";
import { recordAudit } from "@/lib/audit";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { notifyUsers } from "@/lib/notifications";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput } from "@/lib/validation";
import { computeFlags } from "./flags";
import { reviewInputSchema, scoresSchema, type Scores } from "./schema";
import { getReviewSettings, requiredReviewsFor } from "./settings";

const applicationIdSchema = z.object({ applicationId: idSchema("Choose an application.") });

/** An application staff may see: anything submitted at least once (drafts stay private, like a missing row). */
async function loadApplication(tx: Tx, applicationId: string) {
  const application = await tx.application.findUnique({
    where: { id: applicationId },
    select: { id: true, organizationId: true, createdById: true, stage: true, status: true, productName: true, currentVersion: true, categoryId: true },
  });
  if (!application || application.status === "DRAFT") throw new AppError("not_found", "That application does not exist.");
  return application;
}

/** Locks the application row, so concurrent claims and decisions see each other's writes. */
export async function lockApplication(tx: Tx, applicationId: string) {
  await tx.$queryRaw`SELECT id FROM "Application" WHERE id = ${applicationId} FOR UPDATE`;
  return loadApplication(tx, applicationId);
}

/** Why `userId` may not review this application, or null: their own submission, their organisation, or a declaration. */
export async function conflictOf(
  tx: Tx,
  userId: string,
  application: { id: string; organizationId: string; createdById: string },
): Promise<string | null> {
  if (application.createdById === userId) return "You submitted this application.";
  const [membership, declaration] = await Promise.all([
    tx.membership.findUnique({ where: { organizationId_userId: { organizationId: application.organizationId, userId } }, select: { id: true } }),
    tx.conflictDeclaration.findUnique({ where: { applicationId_reviewerId: { applicationId: application.id, reviewerId: userId } }, select: { reason: true } }),
  ]);
  if (membership) return "You are a member of the applying organisation.";
  if (declaration) return `A conflict of interest is declared: ${declaration.reason}`;
  return null;
}

export async function refuseConflict(tx: Tx, userId: string, application: { id: string; organizationId: string; createdById: string }, subject = "You") {
  const reason = await conflictOf(tx, userId, application);
  if (reason) throw new AppError("forbidden", `${subject === "You" ? "You have" : `${subject} has`} a conflict of interest with this application. ${reason}`);
}

async function startReviewIfSubmitted(tx: Tx, application: { id: string; status: ApplicationStatus }, actorId: string) {
  if (application.status !== "SUBMITTED") return;
  await transitionApplication({ tx, applicationId: application.id, change: "startReview", expectedFrom: "SUBMITTED", actorId });
}

function assertAwaitingReview(status: ApplicationStatus): void {
  if (status !== "SUBMITTED" && status !== "IN_REVIEW") throw new AppError("conflict", "This application is not awaiting review.");
}

/** A reviewer takes an item; with N reviews required, up to N reviewers may hold it. SUBMITTED -> IN_REVIEW. */
export async function claimApplication({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertStaff(actor, "review applications");
  const { applicationId } = parseInput(applicationIdSchema, input);
  return db.$transaction(async (tx) => {
    const application = await lockApplication(tx, applicationId);
    await refuseConflict(tx, actor.id, application);
    assertAwaitingReview(application.status);
    const [assignments, settings] = await Promise.all([
      tx.reviewAssignment.findMany({ where: { applicationId }, select: { reviewerId: true } }),
      getReviewSettings(tx),
    ]);
    if (assignments.some((row) => row.reviewerId === actor.id)) throw new AppError("conflict", "You have already claimed this application.");
    const capacity = requiredReviewsFor(settings, application.stage);
    if (assignments.length >= capacity) {
      throw new AppError("conflict", `This application already has ${assignments.length} reviewer${assignments.length === 1 ? "" : "s"}, as many as it needs.`);
    }
    const assignment = await tx.reviewAssignment.create({ data: { applicationId, reviewerId: actor.id, assignedById: actor.id } });
    await startReviewIfSubmitted(tx, application, actor.id);
    await recordAudit({ actorId: actor.id, action: "review.claimed", targetType: "Application", targetId: applicationId, data: { reviewerId: actor.id } }, tx);
    return assignment;
  });
}

const assignSchema = z.object({
  applicationId: idSchema("Choose an application."),
  reviewerId: idSchema("Choose a reviewer."),
  replaceReviewerId: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined)),
});

/** Admins assign a reviewer (REVIEWER or ADMIN, not conflicted), or reassign one reviewer's claim to another. */
export async function assignReviewer({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "assign reviewers");
  const { applicationId, reviewerId, replaceReviewerId } = parseInput(assignSchema, input);
  return db.$transaction(async (tx) => {
    const application = await lockApplication(tx, applicationId);
    assertAwaitingReview(application.status);
    const reviewer = await tx.user.findUnique({ where: { id: reviewerId }, select: { id: true, email: true, role: true, status: true } });
    if (!reviewer || reviewer.status !== "ACTIVE" || (reviewer.role !== "REVIEWER" && reviewer.role !== "ADMIN")) {
      throw new AppError("invalid", "Choose an active reviewer or administrator.", { reviewerId: ["Choose an active reviewer or administrator."] });
    }
    await refuseConflict(tx, reviewer.id, application, reviewer.email);
    const [assignments, settings] = await Promise.all([
      tx.reviewAssignment.findMany({ where: { applicationId }, select: { reviewerId: true } }),
      getReviewSettings(tx),
    ]);
    if (assignments.some((row) => row.reviewerId === reviewer.id)) throw new AppError("conflict", `${reviewer.email} is already assigned.`);
    if (replaceReviewerId) {
      if (!assignments.some((row) => row.reviewerId === replaceReviewerId)) throw new AppError("invalid", "That reviewer is not assigned to this application.");
      await tx.reviewAssignment.delete({ where: { applicationId_reviewerId: { applicationId, reviewerId: replaceReviewerId } } });
    } else if (assignments.length >= requiredReviewsFor(settings, application.stage)) {
      throw new AppError("conflict", "This application already has as many reviewers as it needs: reassign one instead.");
    }
    const assignment = await tx.reviewAssignment.create({ data: { applicationId, reviewerId: reviewer.id, assignedById: actor.id } });
    await startReviewIfSubmitted(tx, application, actor.id);
    await recordAudit(
      {
        actorId: actor.id,
        action: replaceReviewerId ? "review.reassigned" : "review.assigned",
        targetType: "Application",
        targetId: applicationId,
        data: { reviewerId: reviewer.id, ...(replaceReviewerId ? { replacedReviewerId: replaceReviewerId } : {}) },
      },
      tx,
    );
    await notifyUsers({ userIds: [reviewer.id], title: `You were assigned “${application.productName || "an application"}”`, body: "An administrator assigned this application to you for review.", href: `/review/applications/${applicationId}` }, tx);
    return assignment;
  });
}

const conflictSchema = z.object({
  applicationId: idSchema(),
  reason: z.string().trim().min(1, "Say why you have a conflict of interest.").max(1_000, "Keep the reason under 1,000 characters."),
});

/** A reviewer steps away from an item: it leaves their queue, and their claim (if any) is released. */
export async function declareConflict({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertStaff(actor, "review applications");
  const { applicationId, reason } = parseInput(conflictSchema, input);
  return db.$transaction(async (tx) => {
    const application = await loadApplication(tx, applicationId);
    const existing = await tx.conflictDeclaration.findUnique({ where: { applicationId_reviewerId: { applicationId, reviewerId: actor.id } } });
    if (existing) throw new AppError("conflict", "You have already declared a conflict on this application.");
    const declaration = await tx.conflictDeclaration.create({ data: { applicationId: application.id, reviewerId: actor.id, reason } });
    await tx.reviewAssignment.deleteMany({ where: { applicationId, reviewerId: actor.id } });
    await recordAudit({ actorId: actor.id, action: "review.conflict_declared", targetType: "Application", targetId: applicationId, data: { reason } }, tx);
    return declaration;
  });
}

/** Recomputes the disagreement and high-risk flags from every submitted review of the application. */
async function refreshFlags(tx: Tx, applicationId: string) {
  const [reviews, settings] = await Promise.all([tx.review.findMany({ where: { applicationId }, select: { scores: true } }), getReviewSettings(tx)]);
  const scores = reviews.flatMap((review) => {
    const parsed = scoresSchema.safeParse(review.scores);
    return parsed.success ? [parsed.data] : [];
  });
  const flags = computeFlags(scores, settings);
  await tx.application.update({ where: { id: applicationId }, data: flags });
  return flags;
}

/** Submits the caller's scorecard, or revises it (the earlier version is kept as a ReviewRevision). */
export async function submitReview({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertStaff(actor, "review applications");
  const data = parseInput(reviewInputSchema, input);
  return db.$transaction(async (tx) => {
    const application = await lockApplication(tx, data.applicationId);
    await refuseConflict(tx, actor.id, application);
    assertAwaitingReview(application.status);
    const assignment = await tx.reviewAssignment.findUnique({ where: { applicationId_reviewerId: { applicationId: application.id, reviewerId: actor.id } } });
    if (!assignment) throw new AppError("forbidden", "Claim this application before scoring it.");
    const fields = {
      version: application.currentVersion,
      scores: data.scores satisfies Scores as Prisma.InputJsonValue,
      recommendation: data.recommendation,
      suggestedScopes: data.suggestedScopes ? (data.suggestedScopes as Prisma.InputJsonValue) : Prisma.DbNull,
    };
    const existing = await tx.review.findUnique({ where: { applicationId_reviewerId: { applicationId: application.id, reviewerId: actor.id } } });
    let review;
    if (existing) {
      await tx.reviewRevision.create({
        data: {
          reviewId: existing.id,
          snapshot: {
            version: existing.version,
            scores: existing.scores,
            recommendation: existing.recommendation,
            suggestedScopes: existing.suggestedScopes ?? null,
            submittedAt: existing.submittedAt.toISOString(),
            revisedAt: existing.updatedAt.toISOString(),
          } as Prisma.InputJsonValue,
        },
      });
      review = await tx.review.update({ where: { id: existing.id }, data: { ...fields, submittedAt: new Date() } });
    } else {
      review = await tx.review.create({ data: { applicationId: application.id, reviewerId: actor.id, ...fields } });
    }
    await recordApplicationEvent(tx, { applicationId: application.id, type: existing ? "review_revised" : "review_submitted", actorId: actor.id, data: { reviewId: review.id } });
    const flags = await refreshFlags(tx, application.id);
    await recordAudit(
      {
        actorId: actor.id,
        action: existing ? "review.revised" : "review.submitted",
        targetType: "Review",
        targetId: review.id,
        data: { applicationId: application.id, recommendation: data.recommendation, ...flags },
      },
      tx,
    );
    return { review, isRevision: Boolean(existing), flags };
  });
}
