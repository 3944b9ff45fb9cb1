import type { Metadata } from "next";
import Link from "next/link";
import { NewApplicationForm } from "@/components/applications/new-application-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { listMemberships } from "@/lib/organizations/access";

export const metadata: Metadata = { title: "Start an application" };

export default async function NewApplicationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireArea("applicant", "/applicant/applications/new");
  const [memberships, params] = await Promise.all([listMemberships(user.id), searchParams]);
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageHeader
        title="Start an application"
        description="An access request comes first: it is saved as a draft as you go, and you submit it when every answer is in."
      />
      <Card>
        {memberships.length === 0 ? (
          <div className="space-y-2 text-sm text-slate-700">
            <p>Applications belong to an organisation, and you are not a member of one yet.</p>
            <p>
              <Link href="/applicant/organizations/new" className="font-medium text-indigo-700 hover:underline">
                Create an organisation
              </Link>{" "}
              or ask a colleague to invite you to theirs.
            </p>
          </div>
        ) : (
          <NewApplicationForm organizations={memberships} defaultTrack={params.track === "ACADEMIC" ? "ACADEMIC" : "STANDARD"} />
        )}
      </Card>
    </div>
  );
}
