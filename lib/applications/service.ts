// Applicants' writes on use-case applications: drafts, submission and resubmission (each kept as a version),
// production reviews and withdrawal. Every status change goes through transitionApplication (./transition.ts).
import "server-only";
import { recordAudit } from "@/lib/audit";
import { db, type Tx } from "@/lib/db";
import { AppError, isAppError, type FieldErrors } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { notifyUsers } from "@/lib/notifications";
import { requireMembership } from "@/lib/organizations/access";
import type { SessionUser } from "@/lib/users/service";
import { fieldErrorsOf, parseInput } from "@/lib/validation";
import type { ApplicationSnapshot } from "./diff";
import {
  applicationIdSchema,
  createApplicationSchema,
  draftInputSchema,
  priorityFor,
  type DraftInput,
  submissionSchemaFor,
  type Stage,
  type Track,
} from "./schema";
import { assertTransition, type ApplicationStatus } from "./status";
import { recordApplicationEvent, transitionApplication } from "./transition";

/** Applicants reach only their organisations' applications; anything else is a 404, as if it did not exist. */
export function ownApplicationWhere(actor: SessionUser, applicationId: string) {
  return { id: applicationId, organization: { memberships: { some: { userId: actor.id } } } };
}

const editableSelect = {
  id: true,
  organizationId: true,
  status: true,
  stage: true,
  track: true,
  productName: true,
  description: true,
  categoryId: true,
  answers: true,
  academic: true,
  currentVersion: true,
} as const;

async function findOwnApplication(tx: Tx, actor: SessionUser, applicationId: string) {
  const application = await tx.application.findFirst({ where: ownApplicationWhere(actor, applicationId), select: editableSelect });
  if (!application) throw new AppError("not_found", "That application does not exist.");
  return application;
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? {})) as Prisma.InputJsonValue;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Reviewers with a claim on the application: assigned to it, or who have reviewed it. */
async function reviewersOf(tx: Tx, applicationId: string): Promise<string[]> {
  const [assignments, reviews] = await Promise.all([
    tx.reviewAssignment.findMany({ where: { applicationId }, select: { reviewerId: true } }),
    tx.review.findMany({ where: { applicationId }, select: { reviewerId: true } }),
  ]);
  return [...new Set([...assignments, ...reviews].map((row) => row.reviewerId))];
}

async function otherMembersOf(tx: Tx, organizationId: string, actorId: string): Promise<string[]> {
  const rows = await tx.membership.findMany({ where: { organizationId, userId: { not: actorId } }, select: { userId: true } });
  return rows.map((row) => row.userId);
}

/** Starts a draft access request for one of the actor's organisations. */
export async function createApplication({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { organizationId, track } = parseInput(createApplicationSchema, input);
  return db.$transaction(async (tx) => {
    await requireMembership({ user: actor, organizationId }, tx);
    const application = await tx.application.create({
      data: { organizationId, createdById: actor.id, track, stage: "ACCESS", priority: priorityFor({ track }) },
      select: { id: true },
    });
    await recordApplicationEvent(tx, { applicationId: application.id, type: "drafted", actorId: actor.id });
    return application;
  });
}

/** Starts a production review of an approved access request, pre-filled with its answers. */
export async function createProductionReview({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { applicationId: parentId } = parseInput(applicationIdSchema, input);
  return db.$transaction(async (tx) => {
    const parent = await findOwnApplication(tx, actor, parentId);
    if (parent.stage !== "ACCESS" || parent.status !== "APPROVED") {
      throw new AppError("conflict", "A production review can only be requested from an approved access request.");
    }
    const open = await tx.application.findFirst({
      where: { parentId, status: { notIn: ["WITHDRAWN", "REJECTED"] } },
      select: { id: true },
    });
    if (open) throw new AppError("conflict", "This access request already has a production review.");
    const answers = asRecord(parent.answers);
    const academic = asRecord(parent.academic);
    const child = await tx.application.create({
      data: {
        organizationId: parent.organizationId,
        createdById: actor.id,
        stage: "PRODUCTION",
        track: parent.track,
        parentId,
        categoryId: parent.categoryId,
        productName: parent.productName,
        description: parent.description,
        answers: toJson({ ...answers, production: {} }),
        academic: parent.track === "ACADEMIC" ? toJson(academic) : undefined,
        priority: priorityFor({ track: parent.track, focusArea: typeof academic.focusArea === "string" ? academic.focusArea : null }),
      },
      select: { id: true },
    });
    await recordApplicationEvent(tx, { applicationId: child.id, type: "drafted", actorId: actor.id, data: { parentId } });
    return child;
  });
}

/** A draft's answers without the value at `path` (a copy: the input is left as it was); a list goes whole. */
function withoutField(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0 || value === null || typeof value !== "object" || Array.isArray(value)) return path.length === 0 ? undefined : value;
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length > 0 && /^\d+$/.test(rest[0] ?? "")) return withoutField(value, [head]);
  const copy: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, value);
  if (!(head in copy)) return value;
  if (rest.length === 0) delete copy[head];
  else copy[head] = withoutField(copy[head], rest);
  return copy;
}

/**
 * The draft's fields that parse, and the messages of those that do not: a draft is saved without its mistaken fields
 * rather than not at all, so one number typed wrong does not lose the rest of the step. The application's id (and a
 * form that cannot be read at all) is still all or nothing.
 */
export function parseDraft(input: unknown): { data: DraftInput; invalid: FieldErrors | null } {
  let remaining = input;
  let invalid: FieldErrors | null = null;
  for (;;) {
    try {
      return { data: parseInput(draftInputSchema, remaining), invalid };
    } catch (error) {
      if (!isAppError(error) || error.kind !== "invalid") throw error;
      const fields = Object.keys(error.fieldErrors);
      if (fields.some((field) => field === "form" || field === "applicationId" || (invalid !== null && field in invalid))) throw error;
      invalid = { ...(invalid ?? {}), ...error.fieldErrors };
      for (const field of fields) remaining = withoutField(remaining, field.split("."));
    }
  }
}

/** Saves whatever the applicant has so far; only drafts and applications with requested changes are editable. */
export async function saveDraft({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { data, invalid } = parseDraft(input);
  const saved = await db.$transaction(async (tx) => {
    const application = await findOwnApplication(tx, actor, data.applicationId);
    assertTransition(application.status, "edit");
    if (data.categoryId) {
      const category = await tx.useCaseCategory.findFirst({ where: { id: data.categoryId, retiredAt: null }, select: { id: true } });
      if (!category) throw new AppError("invalid", "Please correct the highlighted fields.", { categoryId: ["Choose one of the listed categories."] });
    }
    const answers = { ...data.answers };
    if (application.stage !== "PRODUCTION") delete answers.production;
    const academic = application.track === "ACADEMIC" ? (data.academic ?? {}) : undefined;
    return tx.application.update({
      where: { id: application.id },
      data: {
        productName: data.productName ?? "",
        description: data.description ?? "",
        categoryId: data.categoryId ?? null,
        answers: toJson(answers),
        academic: academic ? toJson(academic) : undefined,
        priority: priorityFor({ track: application.track, focusArea: academic?.focusArea }),
      },
      select: { id: true, updatedAt: true },
    });
  });
  return { ...saved, invalid };
}

/** The full record of one submission, kept as ApplicationVersion.snapshot. */
export function buildSnapshot(application: {
  productName: string;
  description: string;
  track: Track;
  stage: Stage;
  category: { id: string; name: string } | null;
  answers: unknown;
  academic: unknown;
}): ApplicationSnapshot {
  return {
    productName: application.productName,
    description: application.description,
    track: application.track,
    stage: application.stage,
    category: application.category ? { id: application.category.id, name: application.category.name } : null,
    answers: asRecord(application.answers),
    academic: application.track === "ACADEMIC" ? asRecord(application.academic) : null,
  };
}

/**
 * Submits a draft (DRAFT -> SUBMITTED, event "submitted") or resubmits after requested changes
 * (CHANGES_REQUESTED -> SUBMITTED, event "resubmitted"). Form fields in `input` are saved first, so a refused
 * submission loses nothing. Each submission is kept as version currentVersion + 1.
 */
export async function submitApplication({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { applicationId } = parseInput(applicationIdSchema, input);
  if (Object.keys(asRecord(input)).some((key) => key !== "applicationId")) await saveDraft({ actor, input });
  return db.$transaction(async (tx) => {
    const application = await findOwnApplication(tx, actor, applicationId);
    const from: ApplicationStatus = application.status;
    const isResubmission = from === "CHANGES_REQUESTED";
    assertTransition(from, isResubmission ? "resubmit" : "submit");

    const schema = submissionSchemaFor({ track: application.track, stage: application.stage });
    const answers = asRecord(application.answers);
    const parsed = schema.safeParse({
      productName: application.productName,
      description: application.description,
      categoryId: application.categoryId ?? "",
      // Missing groups are parsed as empty, so each unanswered field gets its own message.
      answers: { ...answers, openEndedness: asRecord(answers.openEndedness), risk: asRecord(answers.risk), misusePlan: asRecord(answers.misusePlan), endUsers: asRecord(answers.endUsers), ...(application.stage === "PRODUCTION" ? { production: asRecord(answers.production) } : {}) },
      academic: application.academic ?? {},
    });
    if (!parsed.success) {
      throw new AppError("invalid", "Some answers are missing or invalid: see the highlighted fields.", fieldErrorsOf(parsed.error));
    }
    const category = await tx.useCaseCategory.findUnique({
      where: { id: parsed.data.categoryId },
      select: { id: true, name: true, description: true, status: true, retiredAt: true },
    });
    if (!category || category.retiredAt) {
      throw new AppError("invalid", "Choose one of the listed categories.", { categoryId: ["Choose one of the listed categories."] });
    }
    if (category.status === "NOT_SUPPORTED") {
      const explanation = `“${category.name}” is not a supported use case, so this application cannot be submitted. ${category.description}`;
      throw new AppError("invalid", explanation, { categoryId: [explanation] });
    }

    const version = application.currentVersion + 1;
    const snapshot = buildSnapshot({ ...application, category, answers: parsed.data.answers, academic: parsed.data.academic });
    const now = new Date();
    const type = isResubmission ? "resubmitted" : "submitted";
    await transitionApplication({
      tx,
      applicationId: application.id,
      change: isResubmission ? "resubmit" : "submit",
      expectedFrom: from,
      actorId: actor.id,
      event: { version },
      set: { currentVersion: version, submittedAt: now, decidedAt: null },
    });
    await tx.applicationVersion.create({ data: { applicationId: application.id, version, snapshot: toJson(snapshot), submittedById: actor.id } });
    await recordAudit({ actorId: actor.id, action: `application.${type}`, targetType: "Application", targetId: application.id, data: { version } }, tx);

    const name = application.productName || "An application";
    await notifyUsers(
      { userIds: await otherMembersOf(tx, application.organizationId, actor.id), title: `“${name}” was ${type}`, body: `${actor.name} ${type} version ${version}.`, href: `/applicant/applications/${application.id}` },
      tx,
    );
    if (isResubmission) {
      await notifyUsers(
        { userIds: await reviewersOf(tx, application.id), title: `“${name}” was resubmitted`, body: `Version ${version} answers your requested changes.`, href: `/review/applications/${application.id}` },
        tx,
      );
    }
    return { id: application.id, version, status: "SUBMITTED" as const };
  });
}

/** Withdraws an application that is not decided yet; a withdrawn application can never be resubmitted. */
export async function withdrawApplication({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { applicationId } = parseInput(applicationIdSchema, input);
  return db.$transaction(async (tx) => {
    const application = await findOwnApplication(tx, actor, applicationId);
    assertTransition(application.status, "withdraw");
    await transitionApplication({ tx, applicationId: application.id, change: "withdraw", expectedFrom: application.status, actorId: actor.id, event: { from: application.status } });
    await recordAudit({ actorId: actor.id, action: "application.withdrawn", targetType: "Application", targetId: application.id }, tx);
    await notifyUsers(
      {
        userIds: await reviewersOf(tx, application.id),
        title: `“${application.productName || "An application"}” was withdrawn`,
        body: "The applicant withdrew it; no decision is needed.",
        href: `/review/applications/${application.id}`,
      },
      tx,
    );
    return { id: application.id, status: "WITHDRAWN" as const };
  });
}
