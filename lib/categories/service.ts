// Admin changes to the use-case policy: create, edit, reorder, retire and default key scopes. Categories are never
// deleted, so applications keep the category they were filed under; a retired one is only hidden from new use.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { keyScopesSchema, type KeyScopes } from "@/lib/keys/scopes";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import {
  categoryInputSchema,
  categoryScopesFormSchema,
  categoryScopesOf,
  moveCategorySchema,
  retireCategorySchema,
  updateCategorySchema,
} from "./schema";

function slugConflict(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new AppError("conflict", "Another category already uses this slug.", { slug: ["Another category already uses this slug. Choose another."] });
  }
  throw error;
}

export async function createCategory({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "manage the use-case policy");
  const data = parseInput(categoryInputSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      const last = await tx.useCaseCategory.aggregate({ _max: { position: true } });
      const category = await tx.useCaseCategory.create({ data: { ...data, position: (last._max.position ?? -1) + 1 } });
      await recordAudit({ actorId: actor.id, action: "category.created", targetType: "UseCaseCategory", targetId: category.id, data: { slug: data.slug } }, tx);
      return category;
    });
  } catch (error) {
    slugConflict(error);
  }
}

export async function updateCategory({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "manage the use-case policy");
  const { id, ...data } = parseInput(updateCategorySchema, input);
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.useCaseCategory.findUnique({ where: { id }, select: { slug: true, status: true } });
      if (!before) throw new AppError("not_found", "That category does not exist.");
      const category = await tx.useCaseCategory.update({ where: { id }, data });
      await recordAudit(
        { actorId: actor.id, action: "category.updated", targetType: "UseCaseCategory", targetId: id, data: { from: before, to: { slug: data.slug, status: data.status } } },
        tx,
      );
      return category;
    });
  } catch (error) {
    slugConflict(error);
  }
}

/** Swaps a category with its neighbour in the admins' order (retired ones included) and renumbers all positions. */
export async function moveCategory({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "manage the use-case policy");
  const { id, direction } = parseInput(moveCategorySchema, input);
  return db.$transaction(async (tx) => {
    const all = await tx.useCaseCategory.findMany({ orderBy: [{ position: "asc" }, { name: "asc" }, { id: "asc" }], select: { id: true } });
    const index = all.findIndex((row) => row.id === id);
    if (index === -1) throw new AppError("not_found", "That category does not exist.");
    const target = direction === "up" ? index - 1 : index + 1;
    const ids = all.map((row) => row.id);
    const moved = ids[index];
    const neighbour = ids[target];
    if (moved === undefined || neighbour === undefined) return { moved: false };
    ids[index] = neighbour;
    ids[target] = moved;
    for (const [position, categoryId] of ids.entries()) {
      await tx.useCaseCategory.update({ where: { id: categoryId }, data: { position } });
    }
    await recordAudit({ actorId: actor.id, action: "category.moved", targetType: "UseCaseCategory", targetId: id, data: { direction } }, tx);
    return { moved: true };
  });
}

export async function setCategoryRetired({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "manage the use-case policy");
  const { id, retired } = parseInput(retireCategorySchema, input);
  return db.$transaction(async (tx) => {
    const before = await tx.useCaseCategory.findUnique({ where: { id }, select: { retiredAt: true } });
    if (!before) throw new AppError("not_found", "That category does not exist.");
    const category = await tx.useCaseCategory.update({
      where: { id },
      data: { retiredAt: retired ? (before.retiredAt ?? new Date()) : null },
      select: { id: true, name: true, retiredAt: true },
    });
    await recordAudit({ actorId: actor.id, action: retired ? "category.retired" : "category.unretired", targetType: "UseCaseCategory", targetId: id }, tx);
    return category;
  });
}

export async function updateCategoryScopes({ actor, input }: { actor: SessionUser; input: unknown }): Promise<KeyScopes> {
  assertAdmin(actor, "manage the use-case policy");
  const { id, ...form } = parseInput(categoryScopesFormSchema, input);
  return db.$transaction(async (tx) => {
    const before = await tx.useCaseCategory.findUnique({ where: { id }, select: { defaultScopes: true } });
    if (!before) throw new AppError("not_found", "That category does not exist.");
    // Fields the form does not edit (topics, expiry) keep their stored or default values.
    const current = categoryScopesOf(before.defaultScopes);
    const scopes = parseInput(keyScopesSchema, { ...current, ...form });
    await tx.useCaseCategory.update({ where: { id }, data: { defaultScopes: scopes } });
    // The change itself: only the fields that differ, before and after.
    const changed = Object.keys(scopes).filter((field) => JSON.stringify(current[field as keyof KeyScopes]) !== JSON.stringify(scopes[field as keyof KeyScopes]));
    const pick = (value: KeyScopes) => JSON.parse(JSON.stringify(Object.fromEntries(changed.map((field) => [field, value[field as keyof KeyScopes] ?? null])))) as Prisma.InputJsonObject;
    await recordAudit({ actorId: actor.id, action: "category.scopes_updated", targetType: "UseCaseCategory", targetId: id, data: { from: pick(current), to: pick(scopes) } }, tx);
    return scopes;
  });
}
