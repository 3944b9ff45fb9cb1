// Reads for reviewers and admins: the queue, one application's review workspace, and decisions for applicants.
import "server-only";
import { assertStaff, isAdmin, isStaff } from "@/lib/auth/policy";
import { listMessages } from "@/lib/messages/service";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseStoredScopes } from "@/lib/keys/scopes";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { mergeSuggestedScopes, summarizeScores } from "./flags";
import { queueFilterSchema, scoresSchema, suggestedScopesSchema, type QueueFilter, type ReviewSettings, type Scores, type SuggestedScopes } from "./schema";
import { assignedTo, parseSearch, SearchError, searchToSql } from "./search";
import { conflictOf } from "./service";
import { getReviewSettings, requiredReviewsFor } from "./settings";

export const QUEUE_PAGE_SIZE = 25;
/**
 * The queue counts its matches up to this many (or ten pages past the one shown, if further); past it the page says
 * "more than". An exact count of a broad search reads every matching row, the cost of a whole-queue scan per view.
 */
export const QUEUE_COUNT_LIMIT = 1_000;

export interface QueueItem {
  id: string;
  productName: string;
  organizationName: string;
  categoryName: string | null;
  stage: "ACCESS" | "PRODUCTION";
  track: "STANDARD" | "ACADEMIC";
  status: "SUBMITTED" | "IN_REVIEW";
  priority: number;
  isHighRisk: boolean;
  hasDisagreement: boolean;
  submittedAt: Date | null;
  assignmentCount: number;
  reviewCount: number;
  isMine: boolean;
}

interface QueueOptions {
  actor: SessionUser;
  filter: QueueFilter;
  settings: ReviewSettings;
  /** Categories are filtered by slug. */
  categoryId?: string | null;
  excludeId?: string;
  notReviewedByMe?: boolean;
  /** The search box's query, compiled (lib/reviews/search.ts). */
  search?: Prisma.Sql;
}

/**
 * The WHERE clause of the queue (without the status, which selects the index range): no conflict of interest, and
 * for reviewers only items that are theirs or still have a free reviewer slot (claimed items are not offered to
 * others). Every per-reviewer set is an uncorrelated subquery, so PostgreSQL hashes it once instead of probing per row.
 */
function queueWhere({ actor, filter, settings, categoryId, excludeId, notReviewedByMe, search }: QueueOptions): Prisma.Sql {
  const me = actor.id;
  const conditions: Prisma.Sql[] = [
    Prisma.sql`a."createdById" <> ${me}`,
    Prisma.sql`a."organizationId" NOT IN (SELECT m."organizationId" FROM "Membership" m WHERE m."userId" = ${me})`,
    Prisma.sql`a.id NOT IN (SELECT cd."applicationId" FROM "ConflictDeclaration" cd WHERE cd."reviewerId" = ${me})`,
  ];
  if (!isAdmin(actor)) {
    const full = (required: number) => Prisma.sql`SELECT ra."applicationId" FROM "ReviewAssignment" ra GROUP BY ra."applicationId" HAVING count(*) >= ${required}::int`;
    conditions.push(Prisma.sql`(
      a.id IN (SELECT ra."applicationId" FROM "ReviewAssignment" ra WHERE ra."reviewerId" = ${me})
      OR CASE WHEN a.stage = 'PRODUCTION'::"ApplicationStage" THEN a.id NOT IN (${full(settings.requiredReviewsProduction)})
              ELSE a.id NOT IN (${full(settings.requiredReviewsAccess)}) END
    )`);
  }
  if (filter.stage) conditions.push(Prisma.sql`a.stage = ${filter.stage}::"ApplicationStage"`);
  if (filter.track) conditions.push(Prisma.sql`a.track = ${filter.track}::"ApplicationTrack"`);
  if (categoryId !== undefined) conditions.push(categoryId === null ? Prisma.sql`FALSE` : Prisma.sql`a."categoryId" = ${categoryId}`);
  if (filter.assigned === "me") conditions.push(assignedTo(me));
  if (filter.assigned === "none") conditions.push(Prisma.sql`a.id NOT IN (SELECT ra."applicationId" FROM "ReviewAssignment" ra)`);
  if (filter.disagreement) conditions.push(Prisma.sql`a."hasDisagreement"`);
  if (filter.highRisk) conditions.push(Prisma.sql`a."isHighRisk"`);
  if (search) conditions.push(search);
  if (excludeId) conditions.push(Prisma.sql`a.id <> ${excludeId}`);
  if (notReviewedByMe) conditions.push(Prisma.sql`a.id NOT IN (SELECT r."applicationId" FROM "Review" r WHERE r."reviewerId" = ${me})`);
  return Prisma.join(conditions, " AND ");
}

function queueStatuses(filter: QueueFilter): ("SUBMITTED" | "IN_REVIEW")[] {
  return filter.status ? [filter.status] : ["SUBMITTED", "IN_REVIEW"];
}

const queueFrom = Prisma.sql`FROM "Application" a`;

/** The display columns of the rows of a CTE `page` (id, priority, submittedAt): only the page's rows are joined. */
function showPage(me: string): Prisma.Sql {
  return Prisma.sql`SELECT a.id, a."productName", o.name AS "organizationName", c.name AS "categoryName",
           a.stage::text AS stage, a.track::text AS track, a.status::text AS status, a.priority,
           a."isHighRisk", a."hasDisagreement", a."submittedAt",
           (SELECT count(*)::int FROM "ReviewAssignment" ra WHERE ra."applicationId" = a.id) AS "assignmentCount",
           a."reviewCount",
           EXISTS (SELECT 1 FROM "ReviewAssignment" ra WHERE ra."applicationId" = a.id AND ra."reviewerId" = ${me}) AS "isMine"
    FROM page p
    JOIN "Application" a ON a.id = p.id
    JOIN "Organization" o ON o.id = a."organizationId"
    LEFT JOIN "UseCaseCategory" c ON c.id = a."categoryId"`;
}

/**
 * One page of the queue. Each status is read in the order of the [status, priority desc, submittedAt] index and
 * stops after offset + limit rows; the branches are merged, and only the page's rows are joined for display.
 */
async function selectQueue(options: QueueOptions, limit: number, offset: number): Promise<QueueItem[]> {
  const where = queueWhere(options);
  const branches = queueStatuses(options.filter).map(
    (status) => Prisma.sql`(SELECT a.id, a.priority, a."submittedAt" ${queueFrom}
      WHERE a.status = ${status}::"ApplicationStatus" AND ${where}
      ORDER BY a.priority DESC, a."submittedAt" ASC, a.id ASC LIMIT ${offset + limit})`,
  );
  return db.$queryRaw<QueueItem[]>`
    WITH page AS (
      SELECT candidates.* FROM (${Prisma.join(branches, " UNION ALL ")}) candidates
      ORDER BY candidates.priority DESC, candidates."submittedAt" ASC, candidates.id ASC
      LIMIT ${limit} OFFSET ${offset}
    )
    ${showPage(options.actor.id)}
    ORDER BY p.priority DESC, p."submittedAt" ASC, p.id ASC`;
}

/**
 * The matches counted up to `countLimit` in one pass, in no order (it stops as soon as there are more), and, when
 * that pass saw them all (isExact), the page sorted from them: a narrow search reads the queue once, not once for
 * the page and once more for the count. Past the limit `items` is null: the page needs the ordered read. A limit
 * of 0 only counts.
 */
async function countQueueWithPage(options: QueueOptions, countLimit: number, limit: number, offset: number): Promise<{ total: number; isExact: boolean; items: QueueItem[] | null }> {
  const statuses = queueStatuses(options.filter).map((status) => Prisma.sql`${status}::"ApplicationStatus"`);
  const rows = await db.$queryRaw<(Omit<QueueItem, "id"> & { id: string | null; matchCount: number })[]>`
    WITH matching AS MATERIALIZED (
      SELECT a.id, a.priority, a."submittedAt" ${queueFrom}
      WHERE a.status IN (${Prisma.join(statuses)}) AND ${queueWhere(options)} LIMIT ${countLimit + 1}
    ),
    page AS (
      SELECT m.* FROM matching m ORDER BY m.priority DESC, m."submittedAt" ASC, m.id ASC LIMIT ${limit} OFFSET ${offset}
    ),
    shown AS (${showPage(options.actor.id)})
    SELECT (SELECT count(*)::int FROM matching) AS "matchCount", shown.*
    FROM (SELECT 1) one LEFT JOIN shown ON TRUE
    ORDER BY shown.priority DESC, shown."submittedAt" ASC, shown.id ASC`;
  const matchCount = rows[0]?.matchCount ?? 0;
  if (matchCount > countLimit) return { total: countLimit, isExact: false, items: null };
  // With an empty page the one row left-joined to nothing carries only the count.
  const items = rows.flatMap((row) => {
    if (row.id === null) return [];
    const item: QueueItem & { matchCount?: number } = { ...row, id: row.id };
    delete item.matchCount;
    return [item];
  });
  return { total: matchCount, isExact: true, items };
}

async function categoryIdFor(slug: string | undefined): Promise<string | null | undefined> {
  if (!slug) return undefined;
  const category = await db.useCaseCategory.findUnique({ where: { slug }, select: { id: true } });
  return category?.id ?? null;
}

/** The queue's options for a filter and search, or the search's error (an invalid search filters nothing). */
async function prepareQueue(actor: SessionUser, input: unknown): Promise<{ filter: QueueFilter } & ({ options: QueueOptions; searchError: null } | { options: null; searchError: string })> {
  assertStaff(actor, "see the review queue");
  const filter = parseInput(queueFilterSchema, input);
  let search: Prisma.Sql | undefined;
  try {
    const tree = filter.q ? parseSearch(filter.q) : null;
    search = tree ? searchToSql(tree, { actorId: actor.id }) : undefined;
  } catch (error) {
    // SearchError is thrown by parseSearch/searchToSql and caught here in the same bundle (never across bundles).
    if (error instanceof SearchError) return { filter, options: null, searchError: error.message };
    throw error;
  }
  const [settings, categoryId] = await Promise.all([getReviewSettings(), categoryIdFor(filter.category)]);
  return { filter, options: { actor, filter, settings, categoryId, search }, searchError: null };
}

/**
 * The review queue: priority first (academic fairness research is prioritised), then the oldest submission. `total`
 * is exact when isTotalExact, else a lower bound (QUEUE_COUNT_LIMIT or further): "more than total".
 */
export async function listReviewQueue({ actor, input }: { actor: SessionUser; input: unknown }) {
  const prepared = await prepareQueue(actor, input);
  const { filter } = prepared;
  // An invalid search shows what is wrong instead of a queue that ignores it.
  if (!prepared.options) return { items: [] as QueueItem[], total: 0, isTotalExact: true, filter, page: 1, pageCount: 1, searchError: prepared.searchError };
  const { options } = prepared;
  const offset = (filter.page - 1) * QUEUE_PAGE_SIZE;
  const countLimit = Math.max(QUEUE_COUNT_LIMIT, offset + 10 * QUEUE_PAGE_SIZE);
  let counted: Awaited<ReturnType<typeof countQueueWithPage>>;
  let items: QueueItem[];
  if (countLimit === QUEUE_COUNT_LIMIT) {
    // Early pages: a narrow search is read once; a broad one stops counting at the limit and reads the page in order.
    counted = await countQueueWithPage(options, countLimit, QUEUE_PAGE_SIZE, offset);
    items = counted.items ?? (await selectQueue(options, QUEUE_PAGE_SIZE, offset));
  } else {
    // Deep pages: the count reads past the offset anyway, and so does the ordered page; run both at once.
    [items, counted] = await Promise.all([selectQueue(options, QUEUE_PAGE_SIZE, offset), countQueueWithPage(options, countLimit, 0, 0)]);
  }
  const { total, isExact } = counted;
  // Past the count limit there is at least one page more than the counted rows fill.
  const pageCount = isExact ? Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)) : Math.floor(total / QUEUE_PAGE_SIZE) + 1;
  return { items, total, isTotalExact: isExact, filter, page: filter.page, pageCount, searchError: null };
}

/**
 * The ids of every queue item under a filter and search, in queue order, at most `limit` (bulk actions over a whole
 * search), with the number of matches counted up to limit + 1 (more than `limit` is all a caller needs to know);
 * an invalid search is refused with its message.
 */
export async function listReviewQueueIds({ actor, input, limit }: { actor: SessionUser; input: unknown; limit: number }) {
  const prepared = await prepareQueue(actor, input);
  if (!prepared.options) throw new AppError("invalid", `The search could not be read: ${prepared.searchError}.`);
  const [items, counted] = await Promise.all([selectQueue(prepared.options, limit, 0), countQueueWithPage(prepared.options, limit, 0, 0)]);
  return { ids: items.map((item) => item.id), total: counted.isExact ? counted.total : limit + 1 };
}

/** "Submit and next": the caller's next claimed item they have not scored, else the next item open to them. */
export async function findNextQueueItem({ actor, afterId }: { actor: SessionUser; afterId?: string }): Promise<string | null> {
  assertStaff(actor, "see the review queue");
  const settings = await getReviewSettings();
  const base = { actor, settings, excludeId: afterId, notReviewedByMe: true };
  const [mine] = await selectQueue({ ...base, filter: { page: 1, assigned: "me" } }, 1, 0);
  if (mine) return mine.id;
  const [open] = await selectQueue({ ...base, filter: { page: 1, assigned: "none" } }, 1, 0);
  return open?.id ?? null;
}

function parseScores(value: unknown): Scores | null {
  const parsed = scoresSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function parseSuggestion(value: unknown): SuggestedScopes | null {
  if (value === null || value === undefined) return null;
  const parsed = suggestedScopesSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Independence: a reviewer sees others' reviews only after submitting their own; admins who are not reviewing it see them. */
function canSeeAllReviews(actor: SessionUser, { hasOwnReview, isAssigned }: { hasOwnReview: boolean; isAssigned: boolean }): boolean {
  if (hasOwnReview) return true;
  return isAdmin(actor) && !isAssigned;
}

/** Every submitted review of an application, for someone allowed to see them (forbidden before one's own review). */
export async function listApplicationReviews({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  assertStaff(actor, "read reviews");
  const application = await db.application.findUnique({ where: { id: applicationId }, select: { id: true, organizationId: true, createdById: true, status: true } });
  if (!application || application.status === "DRAFT") throw new AppError("not_found", "That application does not exist.");
  const conflict = await conflictOf(db, actor.id, application);
  if (conflict) throw new AppError("forbidden", `You have a conflict of interest with this application. ${conflict}`);
  const [own, assignment] = await Promise.all([
    db.review.findUnique({ where: { applicationId_reviewerId: { applicationId, reviewerId: actor.id } }, select: { id: true } }),
    db.reviewAssignment.findUnique({ where: { applicationId_reviewerId: { applicationId, reviewerId: actor.id } }, select: { id: true } }),
  ]);
  if (!canSeeAllReviews(actor, { hasOwnReview: Boolean(own), isAssigned: Boolean(assignment) })) {
    throw new AppError("forbidden", "Submit your own review first: reviews are independent.");
  }
  const reviews = await db.review.findMany({
    where: { applicationId },
    orderBy: { submittedAt: "asc" },
    select: {
      id: true,
      version: true,
      scores: true,
      recommendation: true,
      suggestedScopes: true,
      submittedAt: true,
      updatedAt: true,
      reviewer: { select: { id: true, name: true, email: true } },
      _count: { select: { revisions: true } },
    },
  });
  return reviews.map((review) => ({ ...review, scores: parseScores(review.scores), suggestedScopes: parseSuggestion(review.suggestedScopes), revisionCount: review._count.revisions }));
}

/** Everything the scorecard page shows; conflicted staff are refused (403), drafts and unknown ids are 404. */
export async function getReviewWorkspace({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  assertStaff(actor, "review applications");
  const application = await db.application.findUnique({
    where: { id: applicationId },
    select: {
      id: true,
      organizationId: true,
      createdById: true,
      stage: true,
      track: true,
      status: true,
      productName: true,
      description: true,
      answers: true,
      academic: true,
      priority: true,
      isHighRisk: true,
      hasDisagreement: true,
      currentVersion: true,
      submittedAt: true,
      decidedAt: true,
      organization: { select: { name: true, website: true } },
      createdBy: { select: { name: true, email: true } },
      category: { select: { name: true, slug: true, status: true, defaultScopes: true } },
      versions: { orderBy: { version: "desc" }, take: 1, select: { version: true, snapshot: true, createdAt: true } },
      events: { orderBy: { createdAt: "asc" }, select: { id: true, type: true, createdAt: true, actorId: true } },
      assignments: { orderBy: { createdAt: "asc" }, select: { reviewerId: true, createdAt: true, reviewer: { select: { name: true, email: true } } } },
    },
  });
  if (!application || application.status === "DRAFT") throw new AppError("not_found", "That application does not exist.");
  const conflict = await conflictOf(db, actor.id, application);
  if (conflict) throw new AppError("forbidden", `You have a conflict of interest with this application. ${conflict}`);

  const [settings, ownReview, decisions, messages, submittedCount] = await Promise.all([
    getReviewSettings(),
    db.review.findUnique({
      where: { applicationId_reviewerId: { applicationId, reviewerId: actor.id } },
      select: { id: true, version: true, scores: true, recommendation: true, suggestedScopes: true, submittedAt: true, revisions: { orderBy: { createdAt: "desc" }, select: { id: true, createdAt: true, snapshot: true } } },
    }),
    listDecisions(applicationId),
    listMessages({ actor, applicationId }),
    db.review.count({ where: { applicationId, version: application.currentVersion } }),
  ]);
  const isAssigned = application.assignments.some((row) => row.reviewerId === actor.id);
  const canSeeOthers = canSeeAllReviews(actor, { hasOwnReview: Boolean(ownReview), isAssigned });
  const reviews = canSeeOthers ? await listApplicationReviews({ actor, applicationId }) : null;
  const summary = reviews ? summarizeScores(reviews.flatMap((review) => (review.scores ? [review.scores] : []))) : null;
  const required = requiredReviewsFor(settings, application.stage);
  const isAwaiting = application.status === "SUBMITTED" || application.status === "IN_REVIEW";
  const isAdminActor = isAdmin(actor);
  const proposedScopes = isAdminActor && reviews ? mergeSuggestedScopes(application.category?.defaultScopes, reviews.flatMap((review) => (review.suggestedScopes ? [review.suggestedScopes] : []))) : null;
  const reviewers = isAdminActor && isAwaiting ? await listEligibleReviewers(application) : [];
  return {
    application,
    answers: application.versions[0]?.snapshot ?? { answers: application.answers },
    settings,
    required,
    submittedCount,
    ownReview: ownReview ? { ...ownReview, scores: parseScores(ownReview.scores), suggestedScopes: parseSuggestion(ownReview.suggestedScopes) } : null,
    reviews,
    summary,
    decisions,
    messages,
    reviewers,
    proposedScopes,
    isAssigned,
    isAwaiting,
    canClaim: isAwaiting && !isAssigned && application.assignments.length < required,
    canScore: isAwaiting && isAssigned,
    canDecide: isAdminActor && isAwaiting && submittedCount >= required,
  };
}

/** Active reviewers and admins without a conflict on this application (for the admin's assign control). */
async function listEligibleReviewers(application: { id: string; organizationId: string; createdById: string }) {
  return db.user.findMany({
    where: {
      role: { in: ["REVIEWER", "ADMIN"] },
      status: "ACTIVE",
      id: { not: application.createdById },
      memberships: { none: { organizationId: application.organizationId } },
      conflicts: { none: { applicationId: application.id } },
    },
    orderBy: [{ role: "desc" }, { email: "asc" }],
    take: 200,
    select: { id: true, name: true, email: true, role: true },
  });
}

async function listDecisions(applicationId: string) {
  const rows = await db.decision.findMany({
    where: { applicationId },
    orderBy: { createdAt: "desc" },
    select: { id: true, outcome: true, message: true, conditions: true, scopes: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, scopes: row.scopes === null ? null : parseStoredScopes(row.scopes) }));
}

/** The decisions on one application, newest first: staff, or members of the applying organisation (others get 404). */
export async function getDecisionsFor({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  const application = await db.application.findFirst({
    where: isStaff(actor) ? { id: applicationId } : { id: applicationId, organization: { memberships: { some: { userId: actor.id } } } },
    select: { id: true },
  });
  if (!application) throw new AppError("not_found", "That application does not exist.");
  return listDecisions(applicationId);
}

/** The latest decisions on the caller's organisations' applications (the applicant home page). */
export async function listMyDecisions({ actor, limit = 10 }: { actor: SessionUser; limit?: number }) {
  return db.decision.findMany({
    where: { application: { organization: { memberships: { some: { userId: actor.id } } } } },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, outcome: true, message: true, conditions: true, createdAt: true, application: { select: { id: true, productName: true } } },
  });
}

/** Categories for the queue's filter. */
export async function listQueueCategories() {
  return db.useCaseCategory.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }], select: { slug: true, name: true } });
}
