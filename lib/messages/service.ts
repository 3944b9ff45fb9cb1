// The message thread of an application: applicants and reviewers talk; internal notes stay among reviewers and admins.
import "server-only";
import { assertActive, isStaff } from "@/lib/auth/policy";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { notifyUsers } from "@/lib/notifications";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput } from "@/lib/validation";

export const messageInputSchema = z.object({
  applicationId: idSchema(),
  body: z.string().trim().min(1, "Write a message.").max(10_000, "Keep messages under 10,000 characters."),
  isInternal: z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean()).default(false),
});

/** Staff see every application; applicants only their organisations' (others get 404, as if it did not exist). */
async function visibleApplication(user: SessionUser, applicationId: string) {
  const application = await db.application.findFirst({
    where: isStaff(user) ? { id: applicationId } : { id: applicationId, organization: { memberships: { some: { userId: user.id } } } },
    select: { id: true, organizationId: true, productName: true, status: true },
  });
  if (!application) throw new AppError("not_found", "That application does not exist.");
  return application;
}

export async function postMessage({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertActive(actor);
  const { applicationId, body, isInternal } = parseInput(messageInputSchema, input);
  if (isInternal && !isStaff(actor)) throw new AppError("forbidden", "Only reviewers and admins can write internal notes.");
  const application = await visibleApplication(actor, applicationId);
  if (application.status === "DRAFT" && isStaff(actor)) throw new AppError("not_found", "That application does not exist.");
  return db.$transaction(async (tx) => {
    const message = await tx.message.create({ data: { applicationId, authorId: actor.id, body, isInternal } });
    if (!isInternal) {
      // Applicants hear from reviewers, and reviewers who worked on it hear from applicants.
      const recipients = isStaff(actor)
        ? await tx.membership.findMany({ where: { organizationId: application.organizationId }, select: { userId: true } })
        : await tx.review.findMany({ where: { applicationId }, select: { reviewerId: true } }).then((rows) => rows.map((row) => ({ userId: row.reviewerId })));
      const href = isStaff(actor) ? `/applicant/applications/${applicationId}` : `/review/applications/${applicationId}`;
      await notifyUsers(
        { userIds: recipients.map((row) => row.userId).filter((id) => id !== actor.id), title: `New message on “${application.productName || "an application"}”`, body: body.slice(0, 500), href },
        tx,
      );
    }
    return message;
  });
}

export async function listMessages({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  assertActive(actor);
  await visibleApplication(actor, applicationId);
  return db.message.findMany({
    where: { applicationId, ...(isStaff(actor) ? {} : { isInternal: false }) },
    orderBy: { createdAt: "asc" },
    select: { id: true, body: true, isInternal: true, createdAt: true, author: { select: { name: true, role: true } } },
  });
}
