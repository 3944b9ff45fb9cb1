// The one owner of application status changes: a guarded update (only from the change's allowed states) and its
// timeline event, in the caller's transaction.
import "server-only";
import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ApplicationEventType } from "./events";
import { refusalOf, statusChanges, type ApplicationStatus, type StatusChangeName } from "./status";

/** Appends one timeline event; other domains (reviews, decisions, appeals) call it in their own transaction. */
export async function recordApplicationEvent(tx: Tx, { applicationId, type, actorId, data }: { applicationId: string; type: ApplicationEventType; actorId: string | null; data?: Prisma.InputJsonValue }) {
  await tx.applicationEvent.create({ data: { applicationId, type, actorId, data: data ?? {} } });
}

export interface TransitionInput {
  tx: Tx;
  applicationId: string;
  change: StatusChangeName;
  actorId: string | null;
  /** Stored on the timeline event (e.g. { decisionId }). */
  event?: Prisma.InputJsonValue;
  /** Other columns written with the status (e.g. submittedAt, decidedAt). */
  set?: Omit<Prisma.ApplicationUpdateManyMutationInput, "status">;
  /** Narrows the allowed start states further, e.g. to the status the caller just read. */
  expectedFrom?: ApplicationStatus;
}

/**
 * Moves the application from one of the change's allowed states to its target, refusing (conflict) when the row is
 * in any other state, including when a concurrent request changed it first: the update is guarded by the status.
 */
export async function transitionApplication({ tx, applicationId, change, actorId, event, set, expectedFrom }: TransitionInput) {
  const { from, to, event: type } = statusChanges[change];
  const allowed = expectedFrom ? from.filter((status) => status === expectedFrom) : [...from];
  const updated = await tx.application.updateMany({ where: { id: applicationId, status: { in: allowed } }, data: { ...set, status: to } });
  if (updated.count !== 1) {
    const current = await tx.application.findUnique({ where: { id: applicationId }, select: { status: true } });
    if (!current) throw new AppError("not_found", "That application does not exist.");
    if (expectedFrom && current.status !== expectedFrom) throw new AppError("conflict", "This application changed meanwhile. Reload and try again.");
    throw new AppError("conflict", refusalOf(change, current.status));
  }
  await recordApplicationEvent(tx, { applicationId, type, actorId, data: event });
  return { status: to };
}

/** The same change on many applications at once (one guarded update, one insert of events): all move, or none. */
export async function transitionApplications({ tx, applicationIds, change, actorId, expectedFrom }: Omit<TransitionInput, "applicationId" | "event" | "set"> & { applicationIds: string[] }) {
  if (applicationIds.length === 0) return;
  const { from, to, event: type } = statusChanges[change];
  const allowed = expectedFrom ? from.filter((status) => status === expectedFrom) : [...from];
  const updated = await tx.application.updateMany({ where: { id: { in: applicationIds }, status: { in: allowed } }, data: { status: to } });
  if (updated.count !== new Set(applicationIds).size) throw new AppError("conflict", "Some of these applications changed meanwhile. Reload and try again.");
  await tx.applicationEvent.createMany({ data: applicationIds.map((applicationId) => ({ applicationId, type, actorId, data: {} })) });
}
