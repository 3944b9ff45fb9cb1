// The append-only audit log: every privileged action writes one row in the same transaction as the change.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, type Tx } from "@/lib/db";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  data?: Prisma.InputJsonValue;
}

export async function recordAudit(entry: AuditEntry, tx: Tx = db): Promise<void> {
  await tx.auditLog.create({ data: { ...entry, data: entry.data ?? {} } });
}

/** Many entries at once (a batch action audits each item), in the caller's transaction. */
export async function recordAudits(entries: AuditEntry[], tx: Tx = db): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditLog.createMany({ data: entries.map((entry) => ({ ...entry, data: entry.data ?? {} })) });
}
