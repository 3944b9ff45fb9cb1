// Saved views of the review queue: a staff member names the current search and filters to re-run them later.
// Views are private: every read and write is filtered by the owner, and another user's view is "not found".
import "server-only";
import { z } from "zod";
import { assertStaff } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput, plainName } from "@/lib/validation";
import { queueFilterSchema, type QueueFilter } from "./schema";

export const MAX_SAVED_VIEWS = 50;
export const VIEW_NAME_MAX = 60;

const viewNameSchema = plainName(
  z
    .string({ error: "Name the view." })
    .trim()
    .min(1, "Name the view.")
    .max(VIEW_NAME_MAX, `Keep the name under ${VIEW_NAME_MAX} characters.`),
);

const saveViewSchema = queueFilterSchema.omit({ page: true }).extend({ name: viewNameSchema });
const renameViewSchema = z.object({ viewId: idSchema("That saved view does not exist."), name: viewNameSchema });
const viewIdSchema = z.object({ viewId: idSchema("That saved view does not exist.") });

/** The filter's fields that are set, in a fixed order, as the queue's query string (without the page). */
export function viewQueryOf(filter: Omit<QueueFilter, "page">): string {
  const keys = ["q", "stage", "track", "category", "status", "assigned", "disagreement", "highRisk"] as const;
  const entries = keys.flatMap((key) => {
    const value = filter[key];
    return typeof value === "string" && value !== "" ? [[key, value]] : [];
  });
  return new URLSearchParams(entries).toString();
}

function duplicateName(error: unknown, name: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    const message = `You already have a view named “${name}”. Choose another name.`;
    throw new AppError("conflict", message, { name: [message] });
  }
  throw error;
}

const notFound = () => new AppError("not_found", "That saved view does not exist.");

/** The caller's own saved views, by name. */
export async function listSavedViews({ actor }: { actor: SessionUser }) {
  assertStaff(actor, "use saved views");
  return db.savedView.findMany({ where: { userId: actor.id }, orderBy: { name: "asc" }, take: MAX_SAVED_VIEWS, select: { id: true, name: true, query: true } });
}

/** Saves the search and filters under a name; at most MAX_SAVED_VIEWS per user, names unique per user. */
export async function saveView({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertStaff(actor, "use saved views");
  const { name, ...filter } = parseInput(saveViewSchema, input);
  const query = viewQueryOf(filter);
  if (query === "") throw new AppError("invalid", "Search or filter the queue first: an empty view would show the whole queue.");
  try {
    return await db.$transaction(async (tx) => {
      // Serialises one user's saves, so two at once cannot both pass the count.
      await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${actor.id} FOR UPDATE`;
      const count = await tx.savedView.count({ where: { userId: actor.id } });
      if (count >= MAX_SAVED_VIEWS) throw new AppError("conflict", `You have ${MAX_SAVED_VIEWS} saved views, the most allowed. Delete one first.`);
      return tx.savedView.create({ data: { userId: actor.id, name, query }, select: { id: true, name: true, query: true } });
    });
  } catch (error) {
    duplicateName(error, name);
  }
}

/** Renames one of the caller's views; anyone else's is not found. */
export async function renameView({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertStaff(actor, "use saved views");
  const { viewId, name } = parseInput(renameViewSchema, input);
  try {
    const updated = await db.savedView.updateMany({ where: { id: viewId, userId: actor.id }, data: { name } });
    if (updated.count !== 1) throw notFound();
  } catch (error) {
    duplicateName(error, name);
  }
}

/** Deletes one of the caller's views; anyone else's is not found. */
export async function deleteView({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertStaff(actor, "use saved views");
  const { viewId } = parseInput(viewIdSchema, input);
  const deleted = await db.savedView.deleteMany({ where: { id: viewId, userId: actor.id } });
  if (deleted.count !== 1) throw notFound();
}
