import type { Metadata } from "next";
import { CategoryStatusBadge } from "@/components/categories/category-status-badge";
import { ApplicantDecisions } from "@/components/reviews/applicant-decisions";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { listActiveCategories } from "@/lib/categories/queries";

export const metadata: Metadata = { title: "My applications" };

export default async function ApplicantHome() {
  const [user, categories] = await Promise.all([requireArea("applicant", "/applicant"), listActiveCategories()]);
  return (
    <div className="space-y-6">
      <PageHeader title="My applications" description={`Signed in as ${user.email}`} />
      <Card title="Your applications">
        <p className="text-sm text-slate-600">
          You have no applications yet. Before you apply, check that your use case fits one of the categories below.
        </p>
      </Card>
      <ApplicantDecisions user={user} />
      <Card title="Use-case categories">
        {categories.length === 0 ? (
          <p className="text-sm text-slate-600">No categories are published yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200">
            {categories.map((category) => (
              <li key={category.id} className="py-3">
                <div className="flex items-center gap-2">
                  <h3 className="font-medium">{category.name}</h3>
                  <CategoryStatusBadge status={category.status} />
                </div>
                <p className="mt-1 text-sm text-slate-600">{category.description}</p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
