// Reads of the audit log for admins: the recent entries, the filtered and paged list, and the CSV export in batches.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SessionUser } from "@/lib/users/service";
import { fieldErrorsOf } from "@/lib/validation";
import { csvRow } from "./csv";
import { auditFilterSchema, auditPageSchema, type AuditFilter } from "./schema";

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_BATCH = 500;

const entrySelect = {
  id: true,
  action: true,
  targetType: true,
  targetId: true,
  createdAt: true,
  data: true,
  actorId: true,
  actor: { select: { email: true } },
} as const satisfies Prisma.AuditLogSelect;

export async function listRecentAudit({ actor, take = 20 }: { actor: SessionUser; take?: number }) {
  assertAdmin(actor, "read the audit log");
  return db.auditLog.findMany({ orderBy: { createdAt: "desc" }, take, select: entrySelect });
}

/** One value per query parameter: a repeated parameter keeps its first value. */
function firstValues(input: Record<string, unknown>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  for (const name of ["actor", "action", "targetType", "targetId", "from", "to", "page"]) {
    const value = input[name];
    const first: unknown = Array.isArray(value) ? value[0] : value;
    result[name] = typeof first === "string" ? first : undefined;
  }
  return result;
}

/** Parses the filter from query parameters; a bad value is an "invalid" AppError naming the field. */
export function parseAuditFilter(input: Record<string, unknown>): AuditFilter {
  const result = auditFilterSchema.safeParse(firstValues(input));
  if (!result.success) throw new AppError("invalid", result.error.issues.map((issue) => issue.message).join(" "), fieldErrorsOf(result.error));
  return result.data;
}

export function auditWhere(filter: AuditFilter): Prisma.AuditLogWhereInput {
  const and: Prisma.AuditLogWhereInput[] = [];
  if (filter.actor) {
    // "system" names the entries no person made (automatic enforcement, seeding).
    and.push(filter.actor.toLowerCase() === "system" ? { actorId: null } : { actor: { email: { contains: filter.actor, mode: "insensitive" } } });
  }
  if (filter.action) and.push({ OR: [{ action: filter.action }, { action: { startsWith: `${filter.action}.` } }] });
  if (filter.targetType) and.push({ targetType: filter.targetType });
  if (filter.targetId) and.push({ targetId: filter.targetId });
  if (filter.from) and.push({ createdAt: { gte: new Date(`${filter.from}T00:00:00.000Z`) } });
  if (filter.to) and.push({ createdAt: { lt: new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 86_400_000) } });
  return and.length > 0 ? { AND: and } : {};
}

const order = [{ createdAt: "desc" }, { id: "desc" }] as const satisfies Prisma.AuditLogOrderByWithRelationInput[];

/** The audit log page: entries under the filter, newest first, 50 a page, with the choices for the filter's lists. */
export async function listAuditEntries({ actor, input }: { actor: SessionUser; input: Record<string, unknown> }) {
  assertAdmin(actor, "read the audit log");
  const filter = parseAuditFilter(input);
  const pageResult = auditPageSchema.safeParse(firstValues(input).page ?? "1");
  if (!pageResult.success) throw new AppError("invalid", pageResult.error.issues.map((issue) => issue.message).join(" "), { page: pageResult.error.issues.map((issue) => issue.message) });
  const page = pageResult.data;
  const where = auditWhere(filter);
  const [entries, total] = await Promise.all([
    db.auditLog.findMany({ where, orderBy: order, skip: (page - 1) * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE, select: entrySelect }),
    db.auditLog.count({ where }),
  ]);
  return { entries, total, page, filter, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

/** The choices of the filter form's lists: every action and target type recorded so far. */
export async function listAuditFilterChoices({ actor }: { actor: SessionUser }) {
  assertAdmin(actor, "read the audit log");
  const [actions, targetTypes] = await Promise.all([
    db.auditLog.groupBy({ by: ["action"], orderBy: { action: "asc" } }),
    db.auditLog.groupBy({ by: ["targetType"], orderBy: { targetType: "asc" } }),
  ]);
  return { actions: actions.map((row) => row.action), targetTypes: targetTypes.map((row) => row.targetType) };
}

export const AUDIT_CSV_HEADER = ["time_utc", "actor", "actor_id", "action", "target_type", "target_id", "details"] as const;

/**
 * The entries under the filter as CSV text (the header, then one chunk of lines per batch), fetched in batches by cursor (never the whole log in memory).
 * Authorisation and the filter are checked before the first line, so a refusal is an error, not a broken download.
 */
export function exportAuditCsv({ actor, input, batchSize = AUDIT_EXPORT_BATCH }: { actor: SessionUser; input: Record<string, unknown>; batchSize?: number }): AsyncGenerator<string> {
  assertAdmin(actor, "export the audit log");
  const where = auditWhere(parseAuditFilter(input));
  return (async function* lines() {
    yield csvRow(AUDIT_CSV_HEADER);
    let cursor: string | undefined;
    for (;;) {
      const batch = await db.auditLog.findMany({
        where,
        orderBy: order,
        take: batchSize,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        select: entrySelect,
      });
      if (batch.length > 0) {
        yield batch.map((entry) => csvRow([entry.createdAt.toISOString(), entry.actor?.email ?? "system", entry.actorId, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.data)])).join("");
      }
      if (batch.length < batchSize) return;
      cursor = batch[batch.length - 1]?.id;
    }
  })();
}
