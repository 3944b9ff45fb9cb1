import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { listMyOrganizations } from "@/lib/organizations/queries";

/** The applicant home's "Your organisations" section, given the user's memberships (listMyOrganizations). */
export function OrganizationList({ organizations }: { organizations: Awaited<ReturnType<typeof listMyOrganizations>> }) {
  return (
    <Card title="Your organisations">
      {organizations.length === 0 ? (
        <div className="space-y-3 text-sm text-slate-600">
          <p>Applications are filed by an organisation. Create one for your team, or ask a teammate who owns one for an invitation link.</p>
          <Link href="/applicant/organizations/new" className={buttonClass("primary")}>
            Create an organisation
          </Link>
        </div>
      ) : (
        <div className="space-y-4">
          <ul className="divide-y divide-slate-200">
            {organizations.map((organization) => (
              <li key={organization.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <Link href={`/applicant/organizations/${organization.id}`} className="font-medium text-indigo-700 hover:underline">
                  {organization.name}
                </Link>
                <span className="flex items-center gap-2 text-sm text-slate-600">
                  {organization.memberCount} member{organization.memberCount === 1 ? "" : "s"}
                  <Badge tone={organization.role === "OWNER" ? "indigo" : "slate"}>{organization.role === "OWNER" ? "Owner" : "Member"}</Badge>
                </span>
              </li>
            ))}
          </ul>
          <Link href="/applicant/organizations/new" className="text-sm font-medium text-indigo-700 hover:underline">
            Create another organisation
          </Link>
        </div>
      )}
    </Card>
  );
}
