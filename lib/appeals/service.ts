// Appeals: an applicant appeals a rejection or a request for changes once, within the window; another admin (never
// the one who decided) upholds it, or grants it by reopening the application or approving it (a new decision).
import "server-only";
import { transitionApplication, recordApplicationEvent } from "@/lib/applications/transition";
import { recordAudit } from "@/lib/audit";
import { assertActive, assertAdmin } from "@/lib/auth/policy";
import { db, type Tx } from "@/lib/db";
import { recordDecision } from "@/lib/decisions/service";
import { outcomeLabel, outcomeStatus } from "@/lib/decisions/outcomes";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { notifyUsers } from "@/lib/notifications";
import { lockApplication, refuseConflict } from "@/lib/reviews/service";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { appealEligibility, appealGroundLabels, fileAppealSchema, resolveAppealSchema } from "./schema";

async function memberIdsOf(tx: Tx, organizationId: string): Promise<string[]> {
  const rows = await tx.membership.findMany({ where: { organizationId }, select: { userId: true } });
  return rows.map((row) => row.userId);
}

async function adminIds(tx: Tx): Promise<string[]> {
  const rows = await tx.user.findMany({ where: { role: "ADMIN", status: "ACTIVE" }, select: { id: true } });
  return rows.map((row) => row.id);
}

/** The latest decision on an application (the one an appeal is about) and whether it has an appeal. */
export async function latestDecisionOf(tx: Tx, applicationId: string) {
  return tx.decision.findFirst({
    where: { applicationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, outcome: true, createdAt: true, adminId: true, message: true, appeal: { select: { id: true, status: true } } },
  });
}

/** A member of the applying organisation appeals its latest decision. `now` is the clock (tests move it). */
export async function fileAppeal({ actor, input, now = new Date() }: { actor: SessionUser; input: unknown; now?: Date }) {
  assertActive(actor);
  const data = parseInput(fileAppealSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      const owned = await tx.application.findFirst({
        where: { id: data.applicationId, organization: { memberships: { some: { userId: actor.id } } } },
        select: { id: true },
      });
      if (!owned) throw new AppError("not_found", "That application does not exist.");
      const application = await lockApplication(tx, owned.id);
      const decision = await latestDecisionOf(tx, application.id);
      const eligibility = appealEligibility({ decision, applicationStatus: application.status, hasAppeal: Boolean(decision?.appeal), now });
      if (!eligibility.isEligible || !decision) throw new AppError("conflict", eligibility.isEligible ? "There is no decision to appeal." : eligibility.reason);
      const appeal = await tx.appeal.create({
        data: { decisionId: decision.id, applicationId: application.id, appellantId: actor.id, grounds: data.grounds, statement: data.statement },
      });
      await recordApplicationEvent(tx, { applicationId: application.id, type: "appealed", actorId: actor.id, data: { appealId: appeal.id, decisionId: decision.id } });
      await recordAudit({ actorId: actor.id, action: "appeal.filed", targetType: "Appeal", targetId: appeal.id, data: { applicationId: application.id, decisionId: decision.id, grounds: data.grounds } }, tx);
      const name = application.productName || "An application";
      const grounds = data.grounds.map((ground) => appealGroundLabels[ground]).join("; ");
      await notifyUsers(
        {
          userIds: (await memberIdsOf(tx, application.organizationId)).filter((id) => id !== actor.id),
          title: `“${name}”: the decision was appealed`,
          body: `${actor.name} appealed the decision (${outcomeLabel(decision.outcome).toLowerCase()}). Grounds: ${grounds}. An administrator who did not make the decision will answer.`,
          href: `/applicant/applications/${application.id}`,
        },
        tx,
      );
      await notifyUsers(
        {
          userIds: (await adminIds(tx)).filter((id) => id !== decision.adminId),
          title: `Appeal on “${name}”`,
          body: `The applicant appealed a decision of “${outcomeLabel(decision.outcome)}”. Grounds: ${grounds}.`,
          href: `/admin/appeals/${appeal.id}`,
        },
        tx,
      );
      return appeal;
    });
  } catch (error) {
    // Two appeals racing for one decision: the unique decisionId lets one through.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "This decision has already been appealed; a decision can be appealed once.");
    }
    throw error;
  }
}

/** An admin who did not make the appealed decision upholds it, or grants the appeal (reopen, or approve). */
export async function resolveAppeal({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "decide appeals");
  const data = parseInput(resolveAppealSchema, input);
  return db.$transaction(async (tx) => {
    const found = await tx.appeal.findUnique({ where: { id: data.appealId }, select: { applicationId: true } });
    if (!found) throw new AppError("not_found", "That appeal does not exist.");
    const application = await lockApplication(tx, found.applicationId);
    const appeal = await tx.appeal.findUniqueOrThrow({
      where: { id: data.appealId },
      select: { id: true, status: true, decision: { select: { id: true, adminId: true, outcome: true } } },
    });
    if (appeal.status !== "OPEN") throw new AppError("conflict", "This appeal has already been decided.");
    if (appeal.decision.adminId === actor.id) {
      throw new AppError("forbidden", "You made the decision under appeal: another administrator must decide the appeal.");
    }
    await refuseConflict(tx, actor.id, application);
    const status = data.result === "UPHELD" ? "UPHELD" : "GRANTED";
    const resolution = data.result === "UPHELD" ? null : data.result === "REOPEN" ? "REOPENED" : "APPROVED";
    const updated = await tx.appeal.updateMany({
      where: { id: appeal.id, status: "OPEN" },
      data: { status, deciderId: actor.id, reasons: data.reasons, resolution, decidedAt: new Date() },
    });
    if (updated.count !== 1) throw new AppError("conflict", "This appeal has already been decided.");
    const eventData = { appealId: appeal.id, decisionId: appeal.decision.id };
    await recordApplicationEvent(tx, { applicationId: application.id, type: status === "UPHELD" ? "appeal_upheld" : "appeal_granted", actorId: actor.id, data: eventData });
    let resultDecisionId: string | undefined;
    if (data.result === "REOPEN") {
      await transitionApplication({ tx, applicationId: application.id, change: "reopenOnAppeal", expectedFrom: outcomeStatus(appeal.decision.outcome), actorId: actor.id, event: eventData, set: { decidedAt: null } });
    } else if (data.result === "APPROVE") {
      if (application.status !== outcomeStatus(appeal.decision.outcome)) throw new AppError("conflict", "The application has changed since the appealed decision. Reload and try again.");
      const { decision } = await recordDecision(tx, { application, actorId: actor.id, data: { ...data.approval, applicationId: application.id }, change: "approveOnAppeal", appealId: appeal.id });
      resultDecisionId = decision.id;
      await tx.appeal.update({ where: { id: appeal.id }, data: { resultDecisionId } });
    }
    await recordAudit(
      { actorId: actor.id, action: `appeal.${status.toLowerCase()}`, targetType: "Appeal", targetId: appeal.id, data: { applicationId: application.id, resolution, ...(resultDecisionId ? { resultDecisionId } : {}) } },
      tx,
    );
    const name = application.productName || "your application";
    const outcomeText =
      data.result === "UPHELD"
        ? "The appeal was not granted: the decision stands."
        : data.result === "REOPEN"
          ? "The appeal was granted: the application is back with the reviewers."
          : "The appeal was granted and the application approved.";
    const body = [outcomeText, data.reasons ? `Reasons: ${data.reasons}` : ""].filter(Boolean).join("\n");
    await notifyUsers({ userIds: await memberIdsOf(tx, application.organizationId), title: `Appeal on “${name}”: ${status === "UPHELD" ? "decision upheld" : "granted"}`, body, href: `/applicant/applications/${application.id}` }, tx);
    await notifyUsers(
      { userIds: (await adminIds(tx)).filter((id) => id !== actor.id), title: `Appeal on “${name}” ${status === "UPHELD" ? "upheld" : "granted"}`, body: `${actor.name}: ${outcomeText}`, href: `/admin/appeals/${appeal.id}` },
      tx,
    );
    return { id: appeal.id, status, resolution, resultDecisionId };
  });
}
