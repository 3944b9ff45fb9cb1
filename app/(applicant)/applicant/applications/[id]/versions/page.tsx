import type { Metadata } from "next";
import Link from "next/link";
import { AnswersSummary } from "@/components/applications/answers-summary";
import { VersionDiff } from "@/components/applications/version-diff";
import { Card, PageHeader } from "@/components/ui/card";
import { getApplicationForApplicant, listApplicationVersions } from "@/lib/applications/queries";
import { requireArea } from "@/lib/auth/session";
import { orNotFound } from "../../load";

export const metadata: Metadata = { title: "Version history" };

const date = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function ApplicationVersionsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireArea("applicant", `/applicant/applications/${id}/versions`);
  const [application, versions] = await orNotFound(
    Promise.all([getApplicationForApplicant({ actor: user, applicationId: id }), listApplicationVersions({ actor: user, applicationId: id })]),
  );
  return (
    <div className="space-y-6">
      <PageHeader title={`Version history: ${application.productName || "untitled"}`} description="Every submission is kept; each shows what changed since the one before.">
        <Link href={`/applicant/applications/${id}`} className="text-sm font-medium text-indigo-700 hover:underline">
          Back to the application
        </Link>
      </PageHeader>
      {versions.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-600">Nothing submitted yet: versions appear here when you submit.</p>
        </Card>
      ) : (
        versions.map((version, index) => {
          const previous = versions[index + 1];
          return (
            <Card key={version.id} title={`Version ${version.version}`}>
              <p className="mb-3 text-sm text-slate-600">
                Submitted by {version.submittedBy} on {date.format(version.createdAt)} UTC
              </p>
              {previous ? (
                <VersionDiff before={previous.snapshot} after={version.snapshot} title={`Changes since version ${previous.version}`} />
              ) : (
                <p className="text-sm text-slate-600">The first submission.</p>
              )}
              <details className="mt-4">
                <summary className="cursor-pointer text-sm font-medium text-indigo-700">All answers in version {version.version}</summary>
                <div className="mt-2">
                  <AnswersSummary snapshot={version.snapshot} />
                </div>
              </details>
            </Card>
          );
        })
      )}
    </div>
  );
}
