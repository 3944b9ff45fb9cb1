// Reads of the use-case policy: categories in their display order.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/service";
import { categoryScopesOf } from "./schema";

const orderBy = [{ position: "asc" as const }, { name: "asc" as const }, { id: "asc" as const }];

/** The published policy and the choices for new applications: retired categories are left out. */
export async function listActiveCategories() {
  return db.useCaseCategory.findMany({
    where: { retiredAt: null },
    orderBy,
    select: { id: true, slug: true, name: true, description: true, status: true, examples: true, safeguards: true },
  });
}

/** Admins: every category, retired ones too, with how many applications use each. */
export async function listAllCategories({ actor }: { actor: SessionUser }) {
  assertAdmin(actor, "manage the use-case policy");
  const rows = await db.useCaseCategory.findMany({
    orderBy,
    select: { id: true, slug: true, name: true, status: true, retiredAt: true, _count: { select: { applications: true } } },
  });
  return rows.map(({ _count, ...row }) => ({ ...row, applicationCount: _count.applications }));
}

export async function getCategoryForAdmin({ actor, id }: { actor: SessionUser; id: string }) {
  assertAdmin(actor, "manage the use-case policy");
  const category = await db.useCaseCategory.findUnique({
    where: { id },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      status: true,
      examples: true,
      safeguards: true,
      retiredAt: true,
      defaultScopes: true,
      _count: { select: { applications: true } },
    },
  });
  if (!category) throw new AppError("not_found", "That category does not exist.");
  const { _count, defaultScopes, ...rest } = category;
  return { ...rest, applicationCount: _count.applications, scopes: categoryScopesOf(defaultScopes), hasCustomScopes: Object.keys(Object(defaultScopes)).length > 0 };
}

/** The default key scopes an approval in this category starts from (the sandbox defaults when none are set). */
export async function getCategoryDefaultScopes(categoryId: string) {
  const category = await db.useCaseCategory.findUnique({ where: { id: categoryId }, select: { defaultScopes: true } });
  return categoryScopesOf(category?.defaultScopes);
}
