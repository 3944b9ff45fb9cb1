// The message thread of an application: applicants and reviewers talk; internal notes stay among reviewers and admins.
import "server-only";
import { assertActive, isStaff } from "@/lib/auth/policy";
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
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
      // Applicants hear from reviewers; the staff working on it (claimed or assigned, reviewed, or wrote to the
      // applicant) hear from applicants.
      const recipients = isStaff(actor) ? await organizationMembers(tx, application.organizationId) : await staffOnApplication(tx, applicationId);
      const href = isStaff(actor) ? `/applicant/applications/${applicationId}` : `/review/applications/${applicationId}`;
      await notifyUsers(
        { userIds: recipients.filter((id) => id !== actor.id), title: `New message on “${application.productName || "an application"}”`, body: body.slice(0, 500), href },
        tx,
      );
    }
    return message;
  });
}

async function organizationMembers(tx: Tx, organizationId: string): Promise<string[]> {
  return (await tx.membership.findMany({ where: { organizationId }, select: { userId: true } })).map((row) => row.userId);
}

/** The staff working on an application: claimed or assigned it, reviewed it, or wrote to its applicants. One query. */
async function staffOnApplication(tx: Tx, applicationId: string): Promise<string[]> {
  const staff = await tx.user.findMany({
    where: {
      OR: [
        { assignedReviews: { some: { applicationId } } },
        { reviews: { some: { applicationId } } },
        { role: { in: ["REVIEWER", "ADMIN"] }, messages: { some: { applicationId, isInternal: false } } },
      ],
    },
    select: { id: true },
  });
  return staff.map((user) => user.id);
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
