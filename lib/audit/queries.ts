import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import type { SessionUser } from "@/lib/users/service";

export async function listRecentAudit({ actor, take = 20 }: { actor: SessionUser; take?: number }) {
  assertAdmin(actor, "read the audit log");
  return db.auditLog.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, action: true, targetType: true, targetId: true, createdAt: true, data: true, actor: { select: { email: true } } },
  });
}
