// Reads for the admin's user list.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { parseInput } from "@/lib/validation";
import { listUsersSchema } from "./schema";
import type { SessionUser } from "./service";

export const USERS_PAGE_SIZE = 25;

export async function listUsers({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "list accounts");
  const { q, page } = parseInput(listUsersSchema, input);
  const where = q
    ? { OR: [{ email: { contains: q, mode: "insensitive" as const } }, { name: { contains: q, mode: "insensitive" as const } }] }
    : {};
  const [users, total] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * USERS_PAGE_SIZE,
      take: USERS_PAGE_SIZE,
      select: { id: true, email: true, name: true, role: true, status: true, createdAt: true },
    }),
    db.user.count({ where }),
  ]);
  return { users, total, page, pageCount: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)), q };
}

export async function countUsersByRole({ actor }: { actor: SessionUser }) {
  assertAdmin(actor, "list accounts");
  const groups = await db.user.groupBy({ by: ["role", "status"], _count: { _all: true } });
  return groups.map((group) => ({ role: group.role, status: group.status, count: group._count._all }));
}
