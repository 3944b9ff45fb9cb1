// Organisations: creation, invitation links, joining, roles and leaving. Every change checks membership on the
// server (outsiders get 404, members asking for an owner's action get 403) and keeps at least one owner.
import "server-only";
import { assertActive, hasRole } from "@/lib/auth/policy";
import { recordAudit } from "@/lib/audit";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { notifyUsers } from "@/lib/notifications";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { requireMembership } from "./access";
import { generateInvitationToken, hashInvitationToken } from "./invitation-token";
import {
  changeRoleSchema,
  createInvitationSchema,
  INVITATION_TTL_DAYS,
  invitationIdSchema,
  memberTargetSchema,
  organizationIdSchema,
  organizationInputSchema,
  tokenSchema,
} from "./schema";

const DAY_MS = 24 * 60 * 60 * 1000;

function requireApplicant(actor: SessionUser, doing: string): void {
  assertActive(actor);
  if (!hasRole(actor, "APPLICANT")) throw new AppError("forbidden", `Only applicant accounts can ${doing}; reviewers and admins stay independent of applicant teams.`);
}

/** Serialises membership changes of one organisation, so two owners cannot demote each other at once. */
async function lockOrganization(tx: Tx, organizationId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId} FOR UPDATE`;
}

async function ownerIds(tx: Tx, organizationId: string): Promise<string[]> {
  const owners = await tx.membership.findMany({ where: { organizationId, role: "OWNER" }, select: { userId: true } });
  return owners.map((owner) => owner.userId);
}

export async function createOrganization({ actor, input }: { actor: SessionUser; input: unknown }) {
  requireApplicant(actor, "create organisations");
  const data = parseInput(organizationInputSchema, input);
  return db.$transaction(async (tx) => {
    const organization = await tx.organization.create({
      data: { name: data.name, website: data.website ?? null, description: data.description, memberships: { create: { userId: actor.id, role: "OWNER" } } },
      select: { id: true, name: true },
    });
    await recordAudit({ actorId: actor.id, action: "organization.created", targetType: "Organization", targetId: organization.id }, tx);
    return organization;
  });
}

/** Owners create a link valid for 7 days; the token is returned once and only its hash is kept. */
export async function createInvitation({ actor, input, now = new Date() }: { actor: SessionUser; input: unknown; now?: Date }) {
  const { organizationId, email, role } = parseInput(createInvitationSchema, input);
  await requireMembership({ user: actor, organizationId, role: "OWNER" });
  const { token, tokenHash } = generateInvitationToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * DAY_MS);
  const invitation = await db.$transaction(async (tx) => {
    const created = await tx.invitation.create({
      data: { organizationId, email: email ?? null, role, tokenHash, createdById: actor.id, expiresAt },
      select: { id: true, email: true, role: true, expiresAt: true },
    });
    await recordAudit(
      { actorId: actor.id, action: "invitation.created", targetType: "Invitation", targetId: created.id, data: { organizationId, role, email: email ?? null } },
      tx,
    );
    return created;
  });
  return { ...invitation, token };
}

export async function revokeInvitation({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { invitationId } = parseInput(invitationIdSchema, input);
  const invitation = await db.invitation.findUnique({ where: { id: invitationId }, select: { organizationId: true } });
  if (!invitation) throw new AppError("not_found", "That invitation does not exist.");
  await requireMembership({ user: actor, organizationId: invitation.organizationId, role: "OWNER" });
  return db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({ where: { id: invitationId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new AppError("conflict", "This invitation was already used or revoked.");
    await recordAudit({ actorId: actor.id, action: "invitation.revoked", targetType: "Invitation", targetId: invitationId }, tx);
    return { id: invitationId };
  });
}

export type InvitationState = "pending" | "expired" | "revoked" | "used";

export function invitationState(invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationState {
  if (invitation.acceptedAt) return "used";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

const refusals: Record<Exclude<InvitationState, "pending">, string> = {
  used: "This invitation link has already been used. Ask an owner of the organisation for a new one.",
  revoked: "This invitation link was revoked by an owner of the organisation. Ask them for a new one.",
  expired: "This invitation link has expired. Invitation links are valid for 7 days; ask an owner for a new one.",
};

export function invitationRefusal(state: Exclude<InvitationState, "pending">): string {
  return refusals[state];
}

/** Joins the organisation through a link: single use, unexpired, unrevoked, and for the bound email if any. */
export async function acceptInvitation({ actor, input, now = new Date() }: { actor: SessionUser; input: unknown; now?: Date }) {
  requireApplicant(actor, "join organisations");
  const { token } = parseInput(tokenSchema, input);
  const tokenHash = hashInvitationToken(token);
  return db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({
      where: { tokenHash },
      select: { id: true, organizationId: true, email: true, role: true, acceptedAt: true, revokedAt: true, expiresAt: true, organization: { select: { name: true } } },
    });
    if (!invitation) throw new AppError("not_found", "This invitation link is not valid. Check that you copied all of it.");
    const state = invitationState(invitation, now);
    if (state !== "pending") throw new AppError("conflict", invitationRefusal(state));
    if (invitation.email && invitation.email !== actor.email.toLowerCase()) {
      throw new AppError("forbidden", `This invitation is for ${invitation.email}. Sign in with that account to accept it.`);
    }
    await lockOrganization(tx, invitation.organizationId);
    const existing = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId: invitation.organizationId, userId: actor.id } } });
    if (existing) throw new AppError("conflict", `You are already a member of ${invitation.organization.name}.`);
    // The guarded update makes the link single-use even when two people accept at the same moment.
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: now, acceptedById: actor.id },
    });
    if (count === 0) throw new AppError("conflict", invitationRefusal("used"));
    await tx.membership.create({ data: { organizationId: invitation.organizationId, userId: actor.id, role: invitation.role } });
    await recordAudit(
      { actorId: actor.id, action: "invitation.accepted", targetType: "Invitation", targetId: invitation.id, data: { organizationId: invitation.organizationId, role: invitation.role } },
      tx,
    );
    const owners = (await ownerIds(tx, invitation.organizationId)).filter((id) => id !== actor.id);
    await notifyUsers(
      {
        userIds: owners,
        title: `${actor.name} joined ${invitation.organization.name}`,
        body: `${actor.name} (${actor.email}) accepted an invitation and joined ${invitation.organization.name} as ${invitation.role === "OWNER" ? "an owner" : "a member"}.`,
        href: `/applicant/organizations/${invitation.organizationId}`,
      },
      tx,
    );
    return { organizationId: invitation.organizationId, organizationName: invitation.organization.name, role: invitation.role };
  });
}

export async function changeMemberRole({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { organizationId, userId, role } = parseInput(changeRoleSchema, input);
  const membership = await requireMembership({ user: actor, organizationId, role: "OWNER" });
  return db.$transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const target = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } }, select: { id: true, role: true } });
    if (!target) throw new AppError("not_found", "That person is not a member of this organisation.");
    if (target.role === role) return { userId, role };
    if (target.role === "OWNER" && (await ownerIds(tx, organizationId)).length <= 1) {
      throw new AppError("conflict", "An organisation must keep at least one owner. Make someone else an owner first.");
    }
    await tx.membership.update({ where: { id: target.id }, data: { role } });
    await recordAudit(
      { actorId: actor.id, action: "membership.role_changed", targetType: "Membership", targetId: target.id, data: { organizationId, userId, from: target.role, to: role } },
      tx,
    );
    if (userId !== actor.id) {
      await notifyUsers(
        {
          userIds: [userId],
          title: `You are now ${role === "OWNER" ? "an owner" : "a member"} of ${membership.organizationName}`,
          body: `${actor.name} changed your role in ${membership.organizationName}.`,
          href: `/applicant/organizations/${organizationId}`,
        },
        tx,
      );
    }
    return { userId, role };
  });
}

async function deleteMembership(tx: Tx, { organizationId, userId }: { organizationId: string; userId: string }) {
  await lockOrganization(tx, organizationId);
  const target = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } }, select: { id: true, role: true } });
  if (!target) throw new AppError("not_found", "That person is not a member of this organisation.");
  if (target.role === "OWNER" && (await ownerIds(tx, organizationId)).length <= 1) {
    throw new AppError("conflict", "An organisation must keep at least one owner. Make someone else an owner first.");
  }
  await tx.membership.delete({ where: { id: target.id } });
  return target;
}

/** Owners remove a member (or another owner, as long as one owner remains). */
export async function removeMember({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { organizationId, userId } = parseInput(memberTargetSchema, input);
  const membership = await requireMembership({ user: actor, organizationId, role: "OWNER" });
  return db.$transaction(async (tx) => {
    const removed = await deleteMembership(tx, { organizationId, userId });
    await recordAudit({ actorId: actor.id, action: "membership.removed", targetType: "Membership", targetId: removed.id, data: { organizationId, userId } }, tx);
    if (userId !== actor.id) {
      await notifyUsers(
        { userIds: [userId], title: `You were removed from ${membership.organizationName}`, body: `${actor.name} removed you from ${membership.organizationName}.` },
        tx,
      );
    }
    return { userId };
  });
}

export async function leaveOrganization({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { organizationId } = parseInput(organizationIdSchema, input);
  const membership = await requireMembership({ user: actor, organizationId });
  return db.$transaction(async (tx) => {
    const removed = await deleteMembership(tx, { organizationId, userId: actor.id });
    await recordAudit({ actorId: actor.id, action: "membership.left", targetType: "Membership", targetId: removed.id, data: { organizationId } }, tx);
    return { organizationName: membership.organizationName };
  });
}
