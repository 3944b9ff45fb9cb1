import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/service";

export async function listRecentAudit({ actor, take = 20 }: { actor: SessionUser; take?: number }) {
  if (actor.role !== "ADMIN") throw new AppError("forbidden", "Only administrators may read the audit log.");
  return db.auditLog.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, action: true, targetType: true, targetId: true, createdAt: true, data: true, actor: { select: { email: true } } },
  });
}
