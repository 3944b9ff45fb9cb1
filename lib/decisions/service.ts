// Admins' decisions on applications: the Decision row, the status change (through transitionApplication), the key
// grant of an approval, the audit record and the applicant's notification (in-app and email), in one transaction.
import "server-only";
import { assertTransition, statusChanges } from "@/lib/applications/status";
import { transitionApplication } from "@/lib/applications/transition";
import { recordAudit } from "@/lib/audit";
import { assertAdmin } from "@/lib/auth/policy";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { issueKeyGrant } from "@/lib/keys/service";
import { notifyUsers } from "@/lib/notifications";
import { lockApplication, refuseConflict } from "@/lib/reviews/service";
import { getReviewSettings, requiredReviewsFor } from "@/lib/reviews/settings";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { decisionOutcomeTable } from "./outcomes";
import { decisionInputSchema, type DecisionInput } from "./schema";

interface DecidedApplication {
  id: string;
  organizationId: string;
  stage: "ACCESS" | "PRODUCTION";
  productName: string;
}

/**
 * Records a decision and applies it: `change` is the outcome's own status change, or (for a granted appeal) one
 * that starts from the appealed decision's status. Callers lock the application and authorise the actor first.
 */
export async function recordDecision(
  tx: Tx,
  { application, actorId, data, change = decisionOutcomeTable[data.outcome].change, appealId }: {
    application: DecidedApplication;
    actorId: string;
    data: DecisionInput;
    change?: "approve" | "requestChanges" | "reject" | "approveOnAppeal";
    appealId?: string;
  },
) {
  const row = decisionOutcomeTable[data.outcome];
  if (statusChanges[change].to !== statusChanges[row.change].to) throw new AppError("invalid", `A ${row.label.toLowerCase()} decision cannot make that change.`);
  const scopes = row.issuesGrant && "scopes" in data ? data.scopes : undefined;
  const conditions = row.hasConditions && "conditions" in data ? data.conditions : "";
  const decision = await tx.decision.create({
    data: { applicationId: application.id, adminId: actorId, outcome: data.outcome, message: data.message, conditions, scopes: scopes as Prisma.InputJsonValue | undefined },
  });
  const { status } = await transitionApplication({
    tx,
    applicationId: application.id,
    change,
    actorId,
    event: { decisionId: decision.id, ...(appealId ? { appealId } : {}) },
    set: { decidedAt: statusChanges[change].to === "CHANGES_REQUESTED" ? null : new Date() },
  });
  let grantId: string | undefined;
  if (scopes) {
    const kind = application.stage === "PRODUCTION" ? "LIVE" : "DEVELOPMENT";
    grantId = (await issueKeyGrant({ organizationId: application.organizationId, applicationId: application.id, kind, scopes, actorId }, tx)).id;
  }
  await recordAudit(
    {
      actorId,
      action: `decision.${data.outcome.toLowerCase()}`,
      targetType: "Application",
      targetId: application.id,
      data: { decisionId: decision.id, ...(grantId ? { grantId } : {}), ...(appealId ? { appealId } : {}) },
    },
    tx,
  );
  const members = await tx.membership.findMany({ where: { organizationId: application.organizationId }, select: { userId: true } });
  const name = application.productName || "your application";
  const body = [
    `Decision on “${name}”: ${row.label}${appealId ? " (on appeal)" : ""}.`,
    data.message ? `Reason: ${data.message}` : "",
    conditions ? `Conditions: ${conditions}` : "",
    row.nextStep,
  ]
    .filter(Boolean)
    .join("\n");
  await notifyUsers({ userIds: members.map((member) => member.userId), title: `“${name}”: ${row.label.toLowerCase()}`, body, href: `/applicant/applications/${application.id}` }, tx);
  return { decision, grantId, status };
}

/** Admins decide, once the configured number of reviews of the current version is in; approvals issue a key grant. */
export async function decideApplication({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "decide on applications");
  const data = parseInput(decisionInputSchema, input);
  return db.$transaction(async (tx) => {
    const application = await lockApplication(tx, data.applicationId);
    await refuseConflict(tx, actor.id, application);
    const [settings, submitted] = await Promise.all([
      getReviewSettings(tx),
      tx.review.count({ where: { applicationId: application.id, version: application.currentVersion } }),
    ]);
    const required = requiredReviewsFor(settings, application.stage);
    // The status is checked first, so a decided application is refused as decided whatever its reviews.
    assertTransition(application.status, decisionOutcomeTable[data.outcome].change);
    if (submitted < required) {
      throw new AppError("conflict", `A decision needs ${required} submitted review${required === 1 ? "" : "s"}; this application has ${submitted}.`);
    }
    const { decision, grantId } = await recordDecision(tx, { application, actorId: actor.id, data });
    return { decision, grantId };
  });
}
