import type { Metadata } from "next";
import Link from "next/link";
import { CategoryForm } from "@/components/categories/category-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";

export const metadata: Metadata = { title: "New category" };

export default async function NewCategoryPage() {
  await requireArea("admin", "/admin/categories/new");
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title="New use-case category" description="It is added at the end of the policy; reorder it from the list.">
        <Link href="/admin/categories" className="text-sm font-medium text-indigo-700 hover:underline">
          Back to categories
        </Link>
      </PageHeader>
      <Card>
        <CategoryForm />
      </Card>
    </div>
  );
}
