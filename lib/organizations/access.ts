// Organisation membership checks: ownership is a query filter, and an outsider learns nothing (404).
import "server-only";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/service";

export type OrgRole = "OWNER" | "MEMBER";

export interface OrgMembership {
  organizationId: string;
  organizationName: string;
  role: OrgRole;
}

export async function listMemberships(userId: string, tx: Tx = db): Promise<OrgMembership[]> {
  const rows = await tx.membership.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { organizationId: true, role: true, organization: { select: { name: true } } },
  });
  return rows.map((row) => ({ organizationId: row.organizationId, organizationName: row.organization.name, role: row.role }));
}

/** The caller's membership of `organizationId`, or a 404 AppError; `role: "OWNER"` also requires ownership (403). */
export async function requireMembership(
  { user, organizationId, role }: { user: SessionUser; organizationId: string; role?: OrgRole },
  tx: Tx = db,
): Promise<OrgMembership> {
  const row = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId: user.id } },
    select: { role: true, organization: { select: { name: true } } },
  });
  if (!row) throw new AppError("not_found", "That organisation does not exist.");
  if (role === "OWNER" && row.role !== "OWNER") throw new AppError("forbidden", "Only an owner of the organisation may do this.");
  return { organizationId, organizationName: row.organization.name, role: row.role };
}
