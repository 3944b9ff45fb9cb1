import type { Metadata } from "next";
import Link from "next/link";
import { CategoryStatusBadge } from "@/components/categories/category-status-badge";
import { OrganizationList } from "@/components/organizations/organization-list";
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
      <OrganizationList user={user} />
      <Card title="Your applications">
        <p className="text-sm text-slate-600">
          You have no applications yet. Before you apply, check that your use case fits one of the categories below.
        </p>
      </Card>
      <Card title="API access">
        <ul className="flex flex-wrap gap-6 text-sm">
          <li><Link href="/applicant/keys" className="font-medium text-indigo-700 hover:underline">API keys</Link></li>
          <li><Link href="/applicant/usage" className="font-medium text-indigo-700 hover:underline">Usage</Link></li>
          <li><Link href="/applicant/playground" className="font-medium text-indigo-700 hover:underline">Playground</Link></li>
        </ul>
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
