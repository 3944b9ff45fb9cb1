// Reads for the applicant's organisation pages; every read goes through the caller's membership.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/service";
import { requireMembership } from "./access";
import { hashInvitationToken } from "./invitation-token";
import { invitationState } from "./service";

export async function listMyOrganizations({ actor }: { actor: SessionUser }) {
  const rows = await db.membership.findMany({
    where: { userId: actor.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { role: true, organization: { select: { id: true, name: true, website: true, _count: { select: { memberships: true } } } } },
  });
  return rows.map((row) => ({
    id: row.organization.id,
    name: row.organization.name,
    website: row.organization.website,
    role: row.role,
    memberCount: row.organization._count.memberships,
  }));
}

/** The organisation page: members for every member; pending invitations for owners only. */
export async function getOrganizationForMember({ actor, organizationId }: { actor: SessionUser; organizationId: string }) {
  const membership = await requireMembership({ user: actor, organizationId });
  const isOwner = membership.role === "OWNER";
  const [organization, members, invitations] = await Promise.all([
    db.organization.findUnique({
      where: { id: organizationId },
      select: { id: true, name: true, website: true, description: true, createdAt: true, suspendedAt: true, suspendedReason: true },
    }),
    db.membership.findMany({
      where: { organizationId },
      orderBy: [{ role: "asc" }, { createdAt: "asc" }],
      select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    }),
    isOwner
      ? db.invitation.findMany({
          where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
          orderBy: { createdAt: "desc" },
          select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
        })
      : Promise.resolve([]),
  ]);
  if (!organization) throw new AppError("not_found", "That organisation does not exist.");
  return {
    organization,
    viewerRole: membership.role,
    ownerCount: members.filter((member) => member.role === "OWNER").length,
    members: members.map((member) => ({ ...member.user, role: member.role, joinedAt: member.createdAt })),
    invitations,
    warnings: await listOrganizationWarnings(organizationId),
  };
}

/** The administrators' warnings to an organisation, newest first (shown to its members). */
async function listOrganizationWarnings(organizationId: string, take = 10) {
  return db.organizationWarning.findMany({ where: { organizationId }, orderBy: { createdAt: "desc" }, take, select: { id: true, message: true, createdAt: true } });
}

/** Warnings of the last 30 days to any organisation the user belongs to, for their home page. */
export async function listRecentWarningsForUser({ actor, now = new Date() }: { actor: SessionUser; now?: Date }) {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  return db.organizationWarning.findMany({
    where: { createdAt: { gte: since }, organization: { memberships: { some: { userId: actor.id } } } },
    orderBy: { createdAt: "desc" },
    take: 5,
    select: { id: true, message: true, createdAt: true, organization: { select: { id: true, name: true } } },
  });
}

/** What the accept page shows for a link: the organisation and whether it can still be used. Unknown tokens: null. */
export async function findInvitationByToken({ token, now = new Date() }: { token: string; now?: Date }) {
  if (token.length < 20 || token.length > 200) return null;
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    select: {
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      organization: { select: { id: true, name: true, website: true, description: true } },
    },
  });
  if (!invitation) return null;
  return { organization: invitation.organization, email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt, state: invitationState(invitation, now) };
}
