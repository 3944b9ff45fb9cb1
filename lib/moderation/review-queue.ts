// The admins' moderation queue: flagged inputs and outputs (ModerationEvent), newest first, marked reviewed.
import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput } from "@/lib/validation";

export const MODERATION_PAGE_SIZE = 25;
export const moderationViews = ["unreviewed", "all"] as const;

const listSchema = z.object({
  view: z.enum(moderationViews).catch("unreviewed").default("unreviewed"),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

export async function listModerationEvents({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "review flagged content");
  const { view, page } = parseInput(listSchema, input);
  const where: Prisma.ModerationEventWhereInput = view === "unreviewed" ? { reviewedAt: null } : {};
  const [events, total] = await Promise.all([
    db.moderationEvent.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * MODERATION_PAGE_SIZE,
      take: MODERATION_PAGE_SIZE,
    }),
    db.moderationEvent.count({ where }),
  ]);
  // ModerationEvent keeps plain ids (a key or organisation may be deleted later), so names are looked up here.
  const keyIds = [...new Set(events.flatMap((event) => (event.apiKeyId ? [event.apiKeyId] : [])))];
  const orgIds = [...new Set(events.flatMap((event) => (event.organizationId ? [event.organizationId] : [])))];
  const reviewerIds = [...new Set(events.flatMap((event) => (event.reviewedById ? [event.reviewedById] : [])))];
  const [keys, organizations, reviewers] = await Promise.all([
    db.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, prefix: true, name: true } }),
    db.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
    db.user.findMany({ where: { id: { in: reviewerIds } }, select: { id: true, email: true } }),
  ]);
  const keyById = new Map(keys.map((key) => [key.id, key]));
  const orgById = new Map(organizations.map((organization) => [organization.id, organization]));
  const reviewerById = new Map(reviewers.map((reviewer) => [reviewer.id, reviewer]));
  return {
    events: events.map((event) => ({
      id: event.id,
      requestId: event.requestId,
      createdAt: event.createdAt,
      direction: event.direction,
      action: event.action,
      categories: event.categories,
      excerpt: event.excerpt,
      organizationName: event.organizationId ? (orgById.get(event.organizationId)?.name ?? null) : null,
      keyPrefix: event.apiKeyId ? (keyById.get(event.apiKeyId)?.prefix ?? null) : null,
      reviewedAt: event.reviewedAt,
      reviewedBy: event.reviewedById ? (reviewerById.get(event.reviewedById)?.email ?? null) : null,
    })),
    total,
    page,
    view,
    pageCount: Math.max(1, Math.ceil(total / MODERATION_PAGE_SIZE)),
  };
}

export async function markModerationEventReviewed({ actor, input }: { actor: SessionUser; input: unknown }): Promise<void> {
  assertAdmin(actor, "review flagged content");
  const { eventId } = parseInput(z.object({ eventId: idSchema() }), input);
  await db.$transaction(async (tx) => {
    const event = await tx.moderationEvent.findUnique({ where: { id: eventId }, select: { reviewedAt: true } });
    if (!event) throw new AppError("not_found", "That flagged item does not exist.");
    if (event.reviewedAt) throw new AppError("conflict", "This item is already marked reviewed.");
    await tx.moderationEvent.update({ where: { id: eventId }, data: { reviewedAt: new Date(), reviewedById: actor.id } });
    await recordAudit({ actorId: actor.id, action: "moderation.reviewed", targetType: "ModerationEvent", targetId: eventId }, tx);
  });
}
