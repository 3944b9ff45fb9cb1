// Reads of a user's own notifications: every query filters by the caller's id.
import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";

export const NOTIFICATIONS_PAGE_SIZE = 20;

const pageSchema = z.object({ page: z.coerce.number().int().min(1).catch(1).default(1) });

export async function countUnreadNotifications({ actor }: { actor: SessionUser }): Promise<number> {
  return db.notification.count({ where: { userId: actor.id, readAt: null } });
}

export async function listNotifications({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { page } = parseInput(pageSchema, input);
  const where = { userId: actor.id };
  const [notifications, total, unread] = await Promise.all([
    db.notification.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * NOTIFICATIONS_PAGE_SIZE,
      take: NOTIFICATIONS_PAGE_SIZE,
      select: { id: true, title: true, body: true, href: true, readAt: true, createdAt: true },
    }),
    db.notification.count({ where }),
    db.notification.count({ where: { ...where, readAt: null } }),
  ]);
  return { notifications, total, unread, page, pageCount: Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE_SIZE)) };
}
