// Marking notifications read: a user only ever touches their own (someone else's id is "not found").
import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput } from "@/lib/validation";

const notificationIdSchema = z.object({ notificationId: idSchema() });

export async function markNotificationRead({ actor, input }: { actor: SessionUser; input: unknown }): Promise<void> {
  const { notificationId } = parseInput(notificationIdSchema, input);
  const owned = await db.notification.findFirst({ where: { id: notificationId, userId: actor.id }, select: { readAt: true } });
  if (!owned) throw new AppError("not_found", "That notification does not exist.");
  if (owned.readAt) return;
  await db.notification.updateMany({ where: { id: notificationId, userId: actor.id, readAt: null }, data: { readAt: new Date() } });
}

export async function markAllNotificationsRead({ actor }: { actor: SessionUser }): Promise<number> {
  const { count } = await db.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: new Date() } });
  return count;
}
