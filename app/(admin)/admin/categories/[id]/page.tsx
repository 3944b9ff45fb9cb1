import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CategoryForm } from "@/components/categories/category-form";
import { CategoryRetireButton } from "@/components/categories/category-row-actions";
import { CategoryScopesForm } from "@/components/categories/category-scopes-form";
import { CategoryStatusBadge, RetiredBadge } from "@/components/categories/category-status-badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { getCategoryForAdmin } from "@/lib/categories/queries";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Edit category" };

export default async function EditCategoryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireArea("admin", `/admin/categories/${id}`);
  const category = await getCategoryForAdmin({ actor, id }).catch((error: unknown) => {
    if (isAppError(error) && error.kind === "not_found") notFound();
    throw error;
  });
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title={category.name} description={`Used by ${category.applicationCount} application${category.applicationCount === 1 ? "" : "s"}.`}>
        <Link href="/admin/categories" className="text-sm font-medium text-indigo-700 hover:underline">
          Back to categories
        </Link>
      </PageHeader>
      <Card title="Policy entry">
        <div className="mb-4 flex flex-wrap items-center gap-2">
          <CategoryStatusBadge status={category.status} />
          {category.retiredAt ? <RetiredBadge /> : null}
        </div>
        <CategoryForm category={category} />
      </Card>
      <Card title="Default key scopes">
        <p className="mb-4 text-sm text-slate-600">
          {category.hasCustomScopes
            ? "Approvals in this category start from these limits; admins may still grant less."
            : "No defaults are set: the development sandbox limits below are used. Saving stores them for this category."}
        </p>
        <CategoryScopesForm categoryId={category.id} scopes={category.scopes} />
      </Card>
      <Card title={category.retiredAt ? "Retired" : "Retire"}>
        <p className="mb-4 text-sm text-slate-600">
          {category.retiredAt
            ? "This category is hidden from the policy and from new applications. Applications filed under it keep it."
            : "Retiring hides the category from the policy and from new applications; categories are never deleted, so existing applications keep theirs."}
        </p>
        <CategoryRetireButton id={category.id} name={category.name} isRetired={category.retiredAt !== null} applicationCount={category.applicationCount} />
      </Card>
    </div>
  );
}
