// The admins' moderation queue: flagged inputs and outputs (ModerationEvent), newest first, marked reviewed.
import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { revokeApiKeyAsAdmin, setApiKeySuspension, setOrganizationApiAccess } from "@/lib/keys/admin";
import { notifyUsers } from "@/lib/notifications";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput } from "@/lib/validation";

export const MODERATION_PAGE_SIZE = 25;
/** The longest excerpt the queue shows (the stored one is at most 500 characters). */
export const EXCERPT_DISPLAY_CHARS = 280;
export const moderationViews = ["unreviewed", "all"] as const;

const listSchema = z.object({
  view: z.enum(moderationViews).catch("unreviewed").default("unreviewed"),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

/** Category scores, highest first, from the stored JSON (anything not a finite number is left out). */
function scoresOf(value: unknown): { category: string; score: number }[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .flatMap(([category, score]) => (typeof score === "number" && Number.isFinite(score) ? [{ category, score }] : []))
    .sort((a, b) => b.score - a.score);
}

function keyStatusOf(key: { suspendedAt: Date | null; revokedAt: Date | null } | undefined): "active" | "suspended" | "revoked" | "missing" {
  if (!key) return "missing";
  if (key.revokedAt) return "revoked";
  return key.suspendedAt ? "suspended" : "active";
}

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
    db.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, prefix: true, name: true, suspendedAt: true, revokedAt: true } }),
    db.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, suspendedAt: true } }),
    db.user.findMany({ where: { id: { in: reviewerIds } }, select: { id: true, email: true } }),
  ]);
  // The end-user id lives on the request's usage record (same request id and key; the key's index finds it).
  const usage = await db.usageRecord.findMany({
    where: { apiKeyId: { in: keyIds }, requestId: { in: events.map((event) => event.requestId) } },
    select: { requestId: true, endUserId: true },
  });
  const endUserByRequest = new Map(usage.map((row) => [row.requestId, row.endUserId]));
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
      scores: scoresOf(event.scores),
      excerpt: event.excerpt.length > EXCERPT_DISPLAY_CHARS ? `${event.excerpt.slice(0, EXCERPT_DISPLAY_CHARS)}…` : event.excerpt,
      organizationId: event.organizationId,
      organizationName: event.organizationId ? (orgById.get(event.organizationId)?.name ?? null) : null,
      isOrganizationSuspended: event.organizationId ? Boolean(orgById.get(event.organizationId)?.suspendedAt) : false,
      keyId: event.apiKeyId,
      keyPrefix: event.apiKeyId ? (keyById.get(event.apiKeyId)?.prefix ?? null) : null,
      keyName: event.apiKeyId ? (keyById.get(event.apiKeyId)?.name ?? null) : null,
      keyStatus: keyStatusOf(event.apiKeyId ? keyById.get(event.apiKeyId) : undefined),
      endUserId: endUserByRequest.get(event.requestId) ?? null,
      resolution: event.resolution,
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

export const moderationResolutions = ["dismiss", "warn", "suspend_key", "suspend_organization", "revoke_key"] as const;
export type ModerationResolution = (typeof moderationResolutions)[number];

const resolveSchema = z
  .object({
    eventId: idSchema(),
    resolution: z.enum(moderationResolutions, { error: "Choose an action." }),
    reason: z.string().trim().max(500, "Keep it under 500 characters.").optional().default(""),
  })
  .refine((input) => input.resolution === "dismiss" || input.reason.length > 0, {
    path: ["reason"],
    message: "Give a reason: the organisation's members will see it.",
  });

const resolutionRecorded: Record<ModerationResolution, string> = {
  dismiss: "dismissed",
  warn: "warned",
  suspend_key: "key_suspended",
  suspend_organization: "organization_suspended",
  revoke_key: "key_revoked",
};

/**
 * Acts on a flagged item: dismiss it, warn its organisation, suspend its key or organisation, or revoke its key.
 * Suspensions and revocations go through the admin key controls (which audit, notify and drop cached keys); each
 * action also marks the item resolved, with its own audit entry.
 */
export async function resolveModerationEvent({ actor, input }: { actor: SessionUser; input: unknown }): Promise<{ resolution: ModerationResolution }> {
  assertAdmin(actor, "act on flagged content");
  const { eventId, resolution, reason } = parseInput(resolveSchema, input);
  const event = await db.moderationEvent.findUnique({ where: { id: eventId }, select: { id: true, apiKeyId: true, organizationId: true, reviewedAt: true } });
  if (!event) throw new AppError("not_found", "That flagged item does not exist.");
  const needsKey = resolution === "suspend_key" || resolution === "revoke_key";
  const needsOrganization = resolution === "warn" || resolution === "suspend_organization";
  if (needsKey && !event.apiKeyId) throw new AppError("conflict", "This item has no key to act on.");
  if (needsOrganization && !event.organizationId) throw new AppError("conflict", "This item has no organisation to act on.");
  switch (resolution) {
    case "dismiss":
      if (event.reviewedAt) throw new AppError("conflict", "This item is already resolved.");
      break;
    case "warn":
      break;
    case "suspend_key":
      await setApiKeySuspension({ actor, input: { keyId: event.apiKeyId, action: "suspend", reason } });
      break;
    case "suspend_organization":
      await setOrganizationApiAccess({ actor, input: { organizationId: event.organizationId, action: "suspend", reason } });
      break;
    case "revoke_key":
      await revokeApiKeyAsAdmin({ actor, input: { keyId: event.apiKeyId, reason } });
      break;
    default: {
      const unreachable: never = resolution;
      throw new AppError("invalid", `Unknown action ${String(unreachable)}.`);
    }
  }
  await db.$transaction(async (tx) => {
    if (resolution === "warn" && event.organizationId) {
      const organizationId = event.organizationId;
      const warning = await tx.organizationWarning.create({ data: { organizationId, message: reason, moderationEventId: event.id, createdById: actor.id } });
      await recordAudit({ actorId: actor.id, action: "organization.warned", targetType: "Organization", targetId: organizationId, data: { message: reason, moderationEventId: event.id, warningId: warning.id } }, tx);
      const members = await tx.membership.findMany({ where: { organizationId }, select: { userId: true } });
      await notifyUsers(
        { userIds: members.map((member) => member.userId), title: "A warning from the Gatehouse administrators", body: reason, href: `/applicant/organizations/${organizationId}` },
        tx,
      );
    }
    await tx.moderationEvent.update({ where: { id: event.id }, data: { reviewedAt: event.reviewedAt ?? new Date(), reviewedById: actor.id, resolution: resolutionRecorded[resolution] } });
    await recordAudit(
      { actorId: actor.id, action: "moderation.resolved", targetType: "ModerationEvent", targetId: event.id, data: { resolution: resolutionRecorded[resolution], ...(reason ? { reason } : {}) } },
      tx,
    );
  });
  return { resolution };
}
