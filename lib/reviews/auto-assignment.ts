// Automatic assignment: the applications awaiting review that still need reviewers, spread over the chosen reviewers
// by the min-cost flow of ./assignment-flow.ts; an admin previews the plan and confirms exactly that plan.
import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { transitionApplications } from "@/lib/applications/transition";
import { assertAdmin } from "@/lib/auth/policy";
import { recordAudits } from "@/lib/audit";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { notifyUsers } from "@/lib/notifications";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput } from "@/lib/validation";
import { planAssignments } from "./assignment-flow";
import { getReviewSettings, requiredReviewsFor } from "./settings";

const awaitingStatuses = ["SUBMITTED", "IN_REVIEW"] as const;

/** A single value or a repeated form field, as a list. */
const listOf = <T extends z.ZodType>(item: T) => z.preprocess((value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]), z.array(item));

export const autoAssignmentScopeSchema = z.object({
  stage: z.preprocess((value) => (value === "" ? undefined : value), z.enum(["ACCESS", "PRODUCTION"], { error: "Choose a stage." }).optional()),
  category: z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().max(100, "Choose a category.").optional()),
  reviewer: listOf(idSchema("Choose a reviewer.")).pipe(z.array(z.string()).min(1, "Choose at least one reviewer.").max(500, "Choose at most 500 reviewers.")),
});
export type AutoAssignmentScope = z.infer<typeof autoAssignmentScopeSchema>;

const confirmSchema = autoAssignmentScopeSchema.extend({
  digest: z.string({ error: "Preview the assignment first." }).regex(/^[0-9a-f]{64}$/, "Preview the assignment first."),
});

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  role: "REVIEWER" | "ADMIN";
  openLoad: number;
}

interface PlannedApplication {
  id: string;
  productName: string;
  organizationName: string;
  stage: "ACCESS" | "PRODUCTION";
}

export interface AutoAssignmentPlan {
  cap: number;
  /** The applications in scope that still need reviewers. */
  applicationCount: number;
  assignments: { application: PlannedApplication; reviewer: StaffMember }[];
  loads: { reviewer: StaffMember; before: number; after: number }[];
  unstaffed: { application: PlannedApplication; needed: number; planned: number; reason: string }[];
  /** Names the plan and the state it was made from; confirming requires the same. */
  digest: string;
}

/** Open assignments per reviewer: assigned on an application awaiting review, and not yet reviewed by them. */
async function openLoads(tx: Tx, reviewerIds: string[]): Promise<Map<string, number>> {
  if (reviewerIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ reviewerId: string; load: number }[]>`
    SELECT ra."reviewerId", count(*)::int AS load
    FROM "ReviewAssignment" ra JOIN "Application" a ON a.id = ra."applicationId"
    WHERE ra."reviewerId" IN (${Prisma.join(reviewerIds)})
      AND a.status IN ('SUBMITTED'::"ApplicationStatus", 'IN_REVIEW'::"ApplicationStatus")
      AND NOT EXISTS (SELECT 1 FROM "Review" r WHERE r."applicationId" = ra."applicationId" AND r."reviewerId" = ra."reviewerId")
    GROUP BY ra."reviewerId"`;
  return new Map(rows.map((row) => [row.reviewerId, row.load]));
}

/** Active reviewers and administrators with their open loads (the page's choice of who takes part). */
export async function listAssignableStaff({ actor }: { actor: SessionUser }): Promise<StaffMember[]> {
  assertAdmin(actor, "assign reviewers");
  return loadStaff(db);
}

async function loadStaff(tx: Tx, ids?: string[]) {
  const users = await tx.user.findMany({
    where: { status: "ACTIVE", role: { in: ["REVIEWER", "ADMIN"] }, ...(ids ? { id: { in: ids } } : {}) },
    orderBy: { email: "asc" },
    select: { id: true, name: true, email: true, role: true, memberships: { select: { organizationId: true } } },
  });
  const loads = await openLoads(
    tx,
    users.map((user) => user.id),
  );
  return users.map(({ memberships, role, ...user }) => ({
    ...user,
    role: role === "ADMIN" ? ("ADMIN" as const) : ("REVIEWER" as const),
    openLoad: loads.get(user.id) ?? 0,
    organizationIds: new Set(memberships.map((membership) => membership.organizationId)),
  }));
}

async function categoryIdOf(tx: Tx, slug: string | undefined): Promise<string | undefined> {
  if (!slug) return undefined;
  const category = await tx.useCaseCategory.findUnique({ where: { slug }, select: { id: true } });
  if (!category) throw new AppError("invalid", "That category does not exist.", { category: ["Choose a category from the list."] });
  return category.id;
}

function applicationScope(stage: AutoAssignmentScope["stage"], categoryId: string | undefined): Prisma.ApplicationWhereInput {
  return { status: { in: [...awaitingStatuses] }, ...(stage ? { stage } : {}), ...(categoryId ? { categoryId } : {}) };
}

/** Reads the scope's state and plans it; pure apart from the reads, so the same state gives the same plan. */
async function makePlan(tx: Tx, scope: AutoAssignmentScope): Promise<{ plan: AutoAssignmentPlan; submittedIds: Set<string> }> {
  // One after another: a transaction is one connection, which runs one query at a time.
  const settings = await getReviewSettings(tx);
  const categoryId = await categoryIdOf(tx, scope.category);
  const staff = await loadStaff(tx, [...new Set(scope.reviewer)]);
  if (staff.length === 0) throw new AppError("invalid", "None of the chosen accounts is an active reviewer or administrator.", { reviewer: ["Choose at least one active reviewer."] });
  const cap = settings.maxOpenAssignmentsPerReviewer;
  const rows = await tx.application.findMany({
    where: applicationScope(scope.stage, categoryId),
    orderBy: [{ priority: "desc" }, { submittedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      productName: true,
      stage: true,
      status: true,
      organizationId: true,
      createdById: true,
      organization: { select: { name: true } },
      assignments: { select: { reviewerId: true } },
      reviews: { select: { reviewerId: true } },
      conflicts: { select: { reviewerId: true } },
    },
  });
  const applications = rows.flatMap((row) => {
    const onIt = new Set([...row.assignments, ...row.reviews].map((item) => item.reviewerId));
    const needed = requiredReviewsFor(settings, row.stage) - onIt.size;
    if (needed <= 0) return [];
    const conflicted = new Set(row.conflicts.map((item) => item.reviewerId));
    const excluded = staff.filter((member) => member.id === row.createdById || member.organizationIds.has(row.organizationId) || conflicted.has(member.id) || onIt.has(member.id));
    return [{ row, needed, excludedReviewerIds: excluded.map((member) => member.id) }];
  });
  const flow = planAssignments({
    cap,
    reviewers: staff.map((member) => ({ id: member.id, load: member.openLoad })),
    applications: applications.map(({ row, needed, excludedReviewerIds }) => ({ id: row.id, needed, excludedReviewerIds })),
  });

  const byId = new Map(applications.map((item) => [item.row.id, item]));
  const members = new Map<string, StaffMember>(staff.map((member) => [member.id, { id: member.id, name: member.name, email: member.email, role: member.role, openLoad: member.openLoad }]));
  const describe = (row: (typeof rows)[number]): PlannedApplication => ({ id: row.id, productName: row.productName || "Untitled application", organizationName: row.organization.name, stage: row.stage });
  const member = (id: string): StaffMember => {
    const found = members.get(id);
    if (!found) throw new Error(`Planned reviewer ${id} is not in the scope.`);
    return found;
  };
  const assignments = flow.assignments.flatMap(({ applicationId, reviewerId }) => {
    const item = byId.get(applicationId);
    return item ? [{ application: describe(item.row), reviewer: member(reviewerId) }] : [];
  });
  const unstaffed = flow.unfilled.flatMap(({ applicationId, missing }) => {
    const item = byId.get(applicationId);
    if (!item) return [];
    const eligible = staff.length - item.excludedReviewerIds.length;
    const reason =
      eligible < item.needed
        ? `Only ${eligible} of the chosen reviewers may review it: the others submitted it, belong to the applying organisation, declared a conflict or are already on it.`
        : `The reviewers who may review it are at the load cap of ${cap} open assignments.`;
    return [{ application: describe(item.row), needed: item.needed, planned: item.needed - missing, reason }];
  });
  const loads = flow.loads.map(({ reviewerId, before, after }) => ({ reviewer: member(reviewerId), before, after }));
  const digest = createHash("sha256")
    .update(JSON.stringify({ cap, scope: [scope.stage ?? "", categoryId ?? "", loads.map((row) => [row.reviewer.id, row.before])], pairs: flow.assignments.map((pair) => [pair.applicationId, pair.reviewerId]) }))
    .digest("hex");
  const submittedIds = new Set(applications.filter((item) => item.row.status === "SUBMITTED").map((item) => item.row.id));
  return { plan: { cap, applicationCount: applications.length, assignments, loads, unstaffed, digest }, submittedIds };
}

/** The plan for a scope, without writing anything. */
export async function previewAutoAssignment({ actor, input }: { actor: SessionUser; input: unknown }): Promise<AutoAssignmentPlan> {
  assertAdmin(actor, "assign reviewers");
  const scope = parseInput(autoAssignmentScopeSchema, input);
  const { plan } = await makePlan(db, scope);
  return plan;
}

export const CHANGED_SINCE_PREVIEW = "The applications or the reviewers' loads changed since your preview. Preview again, then confirm the new plan.";

/**
 * Applies the previewed plan: one transaction, serialised with any other confirmation by an advisory lock and with
 * claims and decisions by locking the scope's applications, re-plans from the current state and refuses unless
 * the plan is the one previewed (so two admins confirming at once never double-assign).
 */
export async function confirmAutoAssignment({ actor, input }: { actor: SessionUser; input: unknown }): Promise<{ assigned: number; applications: number; reviewers: number }> {
  assertAdmin(actor, "assign reviewers");
  const { digest, ...scope } = parseInput(confirmSchema, input);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('gatehouse.auto-assignment'))`;
      const categoryId = await categoryIdOf(tx, scope.category);
      const conditions = [Prisma.sql`status IN ('SUBMITTED'::"ApplicationStatus", 'IN_REVIEW'::"ApplicationStatus")`];
      if (scope.stage) conditions.push(Prisma.sql`stage = ${scope.stage}::"ApplicationStage"`);
      if (categoryId) conditions.push(Prisma.sql`"categoryId" = ${categoryId}`);
      await tx.$queryRaw`SELECT id FROM "Application" WHERE ${Prisma.join(conditions, " AND ")} ORDER BY id FOR UPDATE`;

      const { plan, submittedIds } = await makePlan(tx, scope);
      if (plan.digest !== digest) throw new AppError("conflict", CHANGED_SINCE_PREVIEW);
      if (plan.assignments.length === 0) throw new AppError("conflict", "There is nothing to assign: every application in scope is staffed or no reviewer has room.");

      await tx.reviewAssignment.createMany({ data: plan.assignments.map(({ application, reviewer }) => ({ applicationId: application.id, reviewerId: reviewer.id, assignedById: actor.id })) });
      const applicationIds = [...new Set(plan.assignments.map((row) => row.application.id))];
      await transitionApplications({ tx, applicationIds: applicationIds.filter((id) => submittedIds.has(id)), change: "startReview", expectedFrom: "SUBMITTED", actorId: actor.id });
      await recordAudits(
        plan.assignments.map(({ application, reviewer }) => ({
          actorId: actor.id,
          action: "review.auto_assigned",
          targetType: "Application",
          targetId: application.id,
          data: { reviewerId: reviewer.id, plan: digest },
        })),
        tx,
      );
      const byReviewer = new Map<string, PlannedApplication[]>();
      for (const { application, reviewer } of plan.assignments) byReviewer.set(reviewer.id, [...(byReviewer.get(reviewer.id) ?? []), application]);
      for (const [reviewerId, rows] of byReviewer) await notifyUsers(assignmentNotice(reviewerId, rows), tx);
      return { assigned: plan.assignments.length, applications: applicationIds.length, reviewers: byReviewer.size };
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}

/** One notification per reviewer: the single-assignment message for one application, a summary for several. */
function assignmentNotice(reviewerId: string, applications: PlannedApplication[]) {
  const [only] = applications;
  if (only && applications.length === 1) {
    return { userIds: [reviewerId], title: `You were assigned “${only.productName}”`, body: "An administrator assigned this application to you for review.", href: `/review/applications/${only.id}` };
  }
  const names = applications.slice(0, 10).map((application) => `“${application.productName}”`);
  const more = applications.length > names.length ? `, and ${applications.length - names.length} more` : "";
  return {
    userIds: [reviewerId],
    title: `You were assigned ${applications.length} applications`,
    body: `Automatic assignment gave you these applications to review: ${names.join(", ")}${more}.`,
    href: "/review?assigned=me",
  };
}
