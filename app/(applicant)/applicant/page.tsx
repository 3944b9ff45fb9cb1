import type { Metadata } from "next";
import Link from "next/link";
import { ApplicationList } from "@/components/applications/application-list";
import { CategoryStatusBadge } from "@/components/categories/category-status-badge";
import { OrganizationList } from "@/components/organizations/organization-list";
import { OrganizationNotices } from "@/components/organizations/organization-notices";
import { ApplicantDecisions } from "@/components/reviews/applicant-decisions";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { listActiveCategories } from "@/lib/categories/queries";
import { listMyOrganizations, listRecentWarningsForUser } from "@/lib/organizations/queries";

export const metadata: Metadata = { title: "My applications" };

export default async function ApplicantHome({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, categories, params] = await Promise.all([requireArea("applicant", "/applicant"), listActiveCategories(), searchParams]);
  const [organizations, warnings] = await Promise.all([listMyOrganizations({ actor: user }), listRecentWarningsForUser({ actor: user })]);
  const hasOrganization = organizations.length > 0;
  return (
    <div className="space-y-6">
      <PageHeader title="My applications" description={`Signed in as ${user.email}`} />
      <OrganizationNotices warnings={warnings} />
      {hasOrganization ? null : (
        <Card title="Get started">
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
            <li>Create an organisation for your team, or join one with an invitation link from its owner.</li>
            <li>Start an access request for a product of that organisation and answer the five review questions.</li>
            <li>Once it is approved, create an API key and call the API.</li>
          </ol>
        </Card>
      )}
      {/* An organisation comes first: a new user sees it above the (empty) applications. */}
      {hasOrganization ? null : <OrganizationList organizations={organizations} />}
      <ApplicationList user={user} page={params.applicationsPage} hasOrganization={hasOrganization} />
      {hasOrganization ? <OrganizationList organizations={organizations} /> : null}
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
