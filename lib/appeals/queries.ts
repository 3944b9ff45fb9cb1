// Reads of appeals: the applicant's appeal panel (state and eligibility), the admins' list, one appeal, the count.
import "server-only";
import { z } from "zod";
import { ownApplicationWhere } from "@/lib/applications/service";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { mergeSuggestedScopes } from "@/lib/reviews/flags";
import { suggestedScopesSchema } from "@/lib/reviews/schema";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { appealEligibility, appealStatuses } from "./schema";

/** The applicant page's appeal panel: the latest decision's appeal, if any, and whether one may be filed now. */
export async function getAppealPanel({ actor, applicationId, now = new Date() }: { actor: SessionUser; applicationId: string; now?: Date }) {
  const application = await db.application.findFirst({ where: ownApplicationWhere(actor, applicationId), select: { id: true, status: true } });
  if (!application) throw new AppError("not_found", "That application does not exist.");
  const decision = await db.decision.findFirst({
    where: { applicationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, outcome: true, createdAt: true, appeal: { select: { id: true, status: true, grounds: true, statement: true, reasons: true, resolution: true, createdAt: true, decidedAt: true } } },
  });
  // A granted appeal that approved leaves a newer decision: show the appeal of the decision it answered.
  const appeal =
    decision?.appeal ??
    (await db.appeal.findFirst({
      where: { applicationId },
      orderBy: { createdAt: "desc" },
      select: { id: true, status: true, grounds: true, statement: true, reasons: true, resolution: true, createdAt: true, decidedAt: true },
    }));
  const eligibility = appealEligibility({ decision, applicationStatus: application.status, hasAppeal: Boolean(decision?.appeal), now });
  return { decision, appeal, eligibility };
}

export const APPEALS_PAGE_SIZE = 25;

const listSchema = z.object({
  status: z.enum([...appealStatuses, "ALL"]).catch("OPEN").default("OPEN"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export async function listAppeals({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "read appeals");
  const { status, page } = parseInput(listSchema, input);
  const where = status === "ALL" ? {} : { status };
  const [appeals, total] = await Promise.all([
    db.appeal.findMany({
      where,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      skip: (page - 1) * APPEALS_PAGE_SIZE,
      take: APPEALS_PAGE_SIZE,
      select: {
        id: true,
        status: true,
        grounds: true,
        createdAt: true,
        application: { select: { id: true, productName: true, organization: { select: { name: true } } } },
        decision: { select: { outcome: true, admin: { select: { email: true } } } },
      },
    }),
    db.appeal.count({ where }),
  ]);
  return { appeals, total, page, status, pageCount: Math.max(1, Math.ceil(total / APPEALS_PAGE_SIZE)) };
}

export async function countOpenAppeals({ actor }: { actor: SessionUser }): Promise<number> {
  assertAdmin(actor, "read appeals");
  return db.appeal.count({ where: { status: "OPEN" } });
}

/** One appeal with the decision it contests; `canDecide` is false for the admin who made that decision. */
export async function getAppealForAdmin({ actor, appealId }: { actor: SessionUser; appealId: string }) {
  assertAdmin(actor, "read appeals");
  const appeal = await db.appeal.findUnique({
    where: { id: appealId },
    select: {
      id: true,
      status: true,
      grounds: true,
      statement: true,
      reasons: true,
      resolution: true,
      createdAt: true,
      decidedAt: true,
      appellant: { select: { name: true, email: true } },
      decider: { select: { name: true, email: true } },
      decision: { select: { id: true, outcome: true, message: true, createdAt: true, adminId: true, admin: { select: { name: true, email: true } } } },
      application: {
        select: {
          id: true,
          productName: true,
          status: true,
          stage: true,
          currentVersion: true,
          organization: { select: { name: true } },
          category: { select: { defaultScopes: true } },
          reviews: { select: { version: true, suggestedScopes: true } },
        },
      },
    },
  });
  if (!appeal) throw new AppError("not_found", "That appeal does not exist.");
  const { application } = appeal;
  const suggestions = application.reviews
    .filter((review) => review.version === application.currentVersion)
    .flatMap((review) => {
      const parsed = suggestedScopesSchema.safeParse(review.suggestedScopes);
      return parsed.success && parsed.data ? [parsed.data] : [];
    });
  const isDecider = appeal.decision.adminId === actor.id;
  return {
    ...appeal,
    proposedScopes: mergeSuggestedScopes(application.category?.defaultScopes, suggestions),
    isDecider,
    canDecide: appeal.status === "OPEN" && !isDecider,
  };
}
