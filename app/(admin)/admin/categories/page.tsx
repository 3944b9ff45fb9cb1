import type { Metadata } from "next";
import Link from "next/link";
import { CategoryStatusBadge, RetiredBadge } from "@/components/categories/category-status-badge";
import { CategoryMoveButtons, CategoryRetireButton } from "@/components/categories/category-row-actions";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/form-message";
import { requireArea } from "@/lib/auth/session";
import { listAllCategories } from "@/lib/categories/queries";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Use-case categories" };

export default async function AdminCategoriesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/categories");
  const [categories, params] = await Promise.all([listAllCategories({ actor }), searchParams]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Use-case categories"
        description="The public use-case policy, in this order. Retired categories stay on the applications filed under them but are hidden from the policy and from new applications."
      >
        <div className="flex gap-2">
          <Link href="/policy" className={buttonClass("secondary")}>
            View policy
          </Link>
          <Link href="/admin/categories/new" className={buttonClass("primary")}>
            New category
          </Link>
        </div>
      </PageHeader>
      {params.created === "1" ? <FormMessage tone="success" message="Category created." /> : null}
      <Card>
        {categories.length === 0 ? (
          <EmptyState>No categories yet. Create the first one to publish the policy.</EmptyState>
        ) : (
          <Table label="Categories">
            <TableHead columns={["Order", "Category", "Status", "Applications", "Actions"]} />
            <TableBody>
              {categories.map((category, index) => (
                <tr key={category.id} data-testid={`category-row-${category.slug}`}>
                  <td className="py-3 pr-4 align-top">
                    <CategoryMoveButtons id={category.id} name={category.name} isFirst={index === 0} isLast={index === categories.length - 1} />
                  </td>
                  <td className="py-3 pr-4 align-top">
                    <Link href={`/admin/categories/${category.id}`} className="font-medium text-indigo-700 hover:underline">
                      {category.name}
                    </Link>
                    <div className="font-mono text-xs text-slate-500">{category.slug}</div>
                  </td>
                  <td className="py-3 pr-4 align-top">
                    <div className="flex flex-wrap gap-1">
                      <CategoryStatusBadge status={category.status} />
                      {category.retiredAt ? <RetiredBadge /> : null}
                    </div>
                  </td>
                  <td className="py-3 pr-4 align-top">{category.applicationCount}</td>
                  <td className="py-3 align-top">
                    <div className="flex flex-wrap items-start gap-2">
                      <Link href={`/admin/categories/${category.id}`} className={buttonClass("secondary")} aria-label={`Edit ${category.name}`}>
                        Edit
                      </Link>
                      <CategoryRetireButton id={category.id} name={category.name} isRetired={category.retiredAt !== null} applicationCount={category.applicationCount} />
                    </div>
                  </td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
