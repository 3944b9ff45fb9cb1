// Bulk actions over a selection or a whole search of the queue: assign a reviewer, request changes, or reject citing a
// policy category. A preview says what will change and which items are skipped and why; running re-checks every item
// and applies each one through the single action's domain function (assignReviewer, decideApplication), so each is
// authorised, audited and notified on its own. An item that became ineligible since the preview is skipped, not fatal.
import "server-only";
import { z } from "zod";
import { canTransition, statusLabel } from "@/lib/applications/status";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { decideApplication } from "@/lib/decisions/service";
import { AppError, isAppError, messageOf } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { SessionUser } from "@/lib/users/service";
import { emptyRecord, idSchema, parseInput } from "@/lib/validation";
import { listReviewQueueIds } from "./queries";
import { assignReviewer } from "./service";
import { getReviewSettings, requiredReviewsFor } from "./settings";

/** The most applications one bulk action may touch. */
export const MAX_BULK = 500;

const tooMany = `A bulk action takes at most ${MAX_BULK} applications: select fewer or narrow the search.`;
const decisionMessage = (required: string, max: number) =>
  z.string({ error: required }).trim().min(1, required).max(max, `Keep it under ${max.toLocaleString("en")} characters.`);
/** A decision's message holds 5,000 characters; a rejection's is prefixed "Policy category: <name, ≤ 100>. ". */
const REJECT_MESSAGE_MAX = 4_800;

export const bulkOperationSchema = z.discriminatedUnion(
  "action",
  [
    z.object({ action: z.literal("assign"), reviewerId: idSchema("Choose a reviewer.") }),
    z.object({ action: z.literal("requestChanges"), message: decisionMessage("Tell the applicants what to change.", 5_000) }),
    z.object({
      action: z.literal("reject"),
      categorySlug: z.string({ error: "Choose the policy category the rejection cites." }).trim().min(1, "Choose the policy category the rejection cites.").max(100),
      message: decisionMessage("Give the reason for the rejection.", REJECT_MESSAGE_MAX),
    }),
  ],
  { error: "Choose an action." },
);
export type BulkOperation = z.infer<typeof bulkOperationSchema>;

const bulkTargetSchema = z.discriminatedUnion(
  "scope",
  [
    z.object({
      scope: z.literal("selection"),
      ids: z.array(idSchema()).min(1, "Select at least one application.").max(MAX_BULK, tooMany),
    }),
    // The queue's filter and search, as on the queue page (read by listReviewQueueIds).
    z.object({ scope: z.literal("search"), filter: z.record(z.string(), z.unknown()) }),
  ],
  { error: "Select applications, or all the results of the search." },
);

export const bulkInputSchema = z.object({ target: bulkTargetSchema, operation: bulkOperationSchema });
export type BulkInput = z.infer<typeof bulkInputSchema>;

/** The queue's bulk form as a bulk input: the checked rows, or (scope "search") the page's filter fields `filter.*`. */
export function bulkInputFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const filter = emptyRecord();
  for (const [key, value] of Object.entries(form)) if (key.startsWith("filter.")) filter[key.slice("filter.".length)] = value;
  const ids = form.ids === undefined ? [] : Array.isArray(form.ids) ? form.ids : [form.ids];
  return {
    target: form.scope === "search" ? { scope: "search", filter } : { scope: "selection", ids },
    operation: { action: form.action, reviewerId: form.reviewerId, message: form.message, categorySlug: form.categorySlug },
  };
}

export interface BulkItem {
  id: string;
  productName: string;
}

export interface BulkPlan {
  /** What confirming does, e.g. "Assign Rory Reviewer (reviewer@…) to 3 applications." */
  summary: string;
  operation: BulkOperation;
  /** The name of the policy category a rejection cites. */
  citedCategory: string | null;
  ready: BulkItem[];
  skipped: (BulkItem & { reason: string })[];
}

function applications(count: number): string {
  return `${count} application${count === 1 ? "" : "s"}`;
}

const whatOf: Record<BulkOperation["action"], string> = {
  assign: "assign reviewers",
  requestChanges: "decide on applications",
  reject: "decide on applications",
};

async function targetIds(actor: SessionUser, target: BulkInput["target"]): Promise<string[]> {
  if (target.scope === "selection") return [...new Set(target.ids)];
  const { ids, total } = await listReviewQueueIds({ actor, input: target.filter, limit: MAX_BULK });
  if (total > MAX_BULK) throw new AppError("invalid", `This search finds more than the ${MAX_BULK} applications a bulk action takes: narrow the search.`);
  if (ids.length === 0) throw new AppError("invalid", "No application matches this search.");
  return ids;
}

async function loadTargets(ids: string[]) {
  const rows = await db.application.findMany({
    where: { id: { in: ids }, status: { not: "DRAFT" } },
    select: {
      id: true,
      productName: true,
      organizationId: true,
      createdById: true,
      stage: true,
      status: true,
      currentVersion: true,
      assignments: { select: { reviewerId: true } },
      reviews: { select: { version: true } },
    },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => ({ id, row: byId.get(id) }));
}

/** The applications among `ids` that `userId` may not review: their own, their organisation's, or a declared conflict. */
async function conflictedIds(userId: string, rows: { id: string; organizationId: string; createdById: string }[]): Promise<Set<string>> {
  const [memberships, declarations] = await Promise.all([
    db.membership.findMany({ where: { userId, organizationId: { in: rows.map((row) => row.organizationId) } }, select: { organizationId: true } }),
    db.conflictDeclaration.findMany({ where: { reviewerId: userId, applicationId: { in: rows.map((row) => row.id) } }, select: { applicationId: true } }),
  ]);
  const organizations = new Set(memberships.map((row) => row.organizationId));
  const declared = new Set(declarations.map((row) => row.applicationId));
  return new Set(rows.filter((row) => row.createdById === userId || organizations.has(row.organizationId) || declared.has(row.id)).map((row) => row.id));
}

async function loadReviewer(reviewerId: string) {
  const reviewer = await db.user.findUnique({ where: { id: reviewerId }, select: { id: true, name: true, email: true, role: true, status: true } });
  if (!reviewer || reviewer.status !== "ACTIVE" || (reviewer.role !== "REVIEWER" && reviewer.role !== "ADMIN")) {
    throw new AppError("invalid", "Choose an active reviewer or administrator.", { reviewerId: ["Choose an active reviewer or administrator."] });
  }
  return reviewer;
}

async function loadCitedCategory(slug: string) {
  const category = await db.useCaseCategory.findUnique({ where: { slug }, select: { name: true } });
  if (!category) throw new AppError("invalid", "Choose the policy category the rejection cites.", { categorySlug: ["Choose the policy category the rejection cites."] });
  return category;
}

/** Works out, from the database as it is now, what the operation would do to each target and why any is skipped. */
async function planBulk(actor: SessionUser, data: BulkInput): Promise<BulkPlan> {
  const { operation } = data;
  assertAdmin(actor, whatOf[operation.action]);
  const ids = await targetIds(actor, data.target);
  const [targets, settings] = await Promise.all([loadTargets(ids), getReviewSettings()]);
  const rows = targets.flatMap((target) => (target.row ? [target.row] : []));
  const ready: BulkItem[] = [];
  const skipped: BulkPlan["skipped"] = [];
  let summary: (count: number) => string;
  let citedCategory: string | null = null;
  let skipReason: (row: (typeof rows)[number]) => string | null;

  if (operation.action === "assign") {
    const reviewer = await loadReviewer(operation.reviewerId);
    const conflicted = await conflictedIds(reviewer.id, rows);
    summary = (count) => `Assign ${reviewer.name} (${reviewer.email}) to ${applications(count)}; they are notified of each.`;
    skipReason = (row) => {
      if (row.status !== "SUBMITTED" && row.status !== "IN_REVIEW") return `It is ${statusLabel(row.status).toLowerCase()}, not awaiting review.`;
      if (conflicted.has(row.id)) return `${reviewer.email} has a conflict of interest with it.`;
      if (row.assignments.some((assignment) => assignment.reviewerId === reviewer.id)) return `${reviewer.email} is already assigned.`;
      const required = requiredReviewsFor(settings, row.stage);
      if (row.assignments.length >= required) return `It already has the ${required} reviewer${required === 1 ? "" : "s"} it needs.`;
      return null;
    };
  } else {
    const change = operation.action === "reject" ? "reject" : "requestChanges";
    const cited = operation.action === "reject" ? (await loadCitedCategory(operation.categorySlug)).name : null;
    citedCategory = cited;
    const conflicted = await conflictedIds(actor.id, rows);
    summary = (count) =>
      cited ? `Reject ${applications(count)}, citing the policy category “${cited}”; each applicant is notified.` : `Request changes on ${applications(count)}; each applicant is notified with your message.`;
    skipReason = (row) => {
      if (!canTransition(row.status, change)) return `It is ${statusLabel(row.status).toLowerCase()}, not awaiting a decision.`;
      if (conflicted.has(row.id)) return "You have a conflict of interest with it.";
      const required = requiredReviewsFor(settings, row.stage);
      const submitted = row.reviews.filter((review) => review.version === row.currentVersion).length;
      if (submitted < required) return `A decision needs ${required} submitted review${required === 1 ? "" : "s"}; it has ${submitted}.`;
      return null;
    };
  }

  for (const { id, row } of targets) {
    if (!row) {
      skipped.push({ id, productName: "Unknown application", reason: "It does not exist." });
      continue;
    }
    const item = { id: row.id, productName: row.productName || "Untitled application" };
    const reason = skipReason(row);
    if (reason) skipped.push({ ...item, reason });
    else ready.push(item);
  }
  return { summary: summary(ready.length), operation, citedCategory, ready, skipped };
}

/** What a bulk action would do: the items it would change and those it would skip, with the reason. Changes nothing. */
export async function previewBulkAction({ actor, input }: { actor: SessionUser; input: unknown }): Promise<BulkPlan> {
  assertAdmin(actor, "run bulk actions");
  return planBulk(actor, parseInput(bulkInputSchema, input));
}

/** The decision input of a bulk decision on one application: the rejection's message names the policy category. */
function decisionInput(operation: Exclude<BulkOperation, { action: "assign" }>, applicationId: string, citedCategory: string | null) {
  if (operation.action === "requestChanges") return { applicationId, outcome: "CHANGES_REQUESTED" as const, message: operation.message };
  return { applicationId, outcome: "REJECTED" as const, message: `Policy category: ${citedCategory ?? operation.categorySlug}. ${operation.message}` };
}

/**
 * Runs a bulk action: re-plans from the database as it is now, then applies it to each ready item on its own (one
 * transaction, audit record and notification each). An item refused meanwhile is reported as skipped.
 */
export async function runBulkAction({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "run bulk actions");
  const data = parseInput(bulkInputSchema, input);
  const plan = await planBulk(actor, data);
  const { operation } = plan;
  const done: BulkItem[] = [];
  const skipped = [...plan.skipped];
  for (const item of plan.ready) {
    try {
      if (operation.action === "assign") await assignReviewer({ actor, input: { applicationId: item.id, reviewerId: operation.reviewerId } });
      else await decideApplication({ actor, input: decisionInput(operation, item.id, plan.citedCategory) });
      done.push(item);
    } catch (error) {
      // Changed since the plan (claimed, decided, a conflict declared): skip it and carry on with the rest. Anything
      // else (the database away, a timeout) is logged and reported for this item, so the report of what was done
      // reaches the admin whatever happens to one item.
      if (isAppError(error)) {
        skipped.push({ ...item, reason: error.message });
      } else {
        logger().error({ err: messageOf(error), applicationId: item.id, action: operation.action }, "bulk action item failed");
        skipped.push({ ...item, reason: "It could not be processed because of a server error: try it again." });
      }
    }
  }
  const outcome = { assign: "Assigned", requestChanges: "Changes requested on", reject: "Rejected" }[operation.action];
  return { message: `${outcome} ${applications(done.length)}${skipped.length > 0 ? `; ${skipped.length} skipped` : ""}.`, operation, done, skipped };
}

/** Active reviewers and administrators, for the bulk "assign" control (admins only). */
export async function listAssignableReviewers({ actor }: { actor: SessionUser }) {
  assertAdmin(actor, "assign reviewers");
  return db.user.findMany({
    where: { role: { in: ["REVIEWER", "ADMIN"] }, status: "ACTIVE" },
    orderBy: [{ role: "desc" }, { email: "asc" }],
    take: 200,
    select: { id: true, name: true, email: true },
  });
}
