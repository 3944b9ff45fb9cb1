import type { Metadata } from "next";
import { KeyAreaNav } from "@/components/keys/key-area-nav";
import { Card, PageHeader } from "@/components/ui/card";
import { UsageDashboard, UsageFilterBar } from "@/components/usage/usage-dashboard";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getUsageDashboard, getUsageFilterOptions } from "@/lib/usage/dashboard";
import { searchParamsToInput } from "@/lib/usage/filters";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("applicant", "/applicant/usage");
  const input = searchParamsToInput(await searchParams);
  const result = await getUsageDashboard({ actor, as: "member", input }).catch((error: unknown) => {
    // A bad or foreign filter is answered on the page, with the filter bar to correct it.
    if (isAppError(error) && (error.kind === "invalid" || error.kind === "not_found")) return error;
    throw error;
  });
  const header = (
    <>
      <PageHeader title="Usage" description="Requests, tokens, errors, flagged requests and latency of your organisations' API keys (times in UTC)." />
      <KeyAreaNav current="/applicant/usage" />
    </>
  );
  if (isAppError(result)) {
    const options = await getUsageFilterOptions({ actor, as: "member" });
    return (
      <div>
        {header}
        <UsageFilterBar basePath="/applicant/usage" options={options} values={input} errors={result.fieldErrors} />
        <Card>
          <p role="alert" className="text-sm text-red-700">
            {result.kind === "invalid" ? "These filters cannot be used: correct the values listed above." : result.message}
          </p>
        </Card>
      </div>
    );
  }
  return (
    <div>
      {header}
      {result.hasOrganizations ? null : (
        <Card className="mb-6">
          <p className="text-sm text-slate-600">You are not a member of an organisation yet, so there is no usage to show.</p>
        </Card>
      )}
      <UsageFilterBar basePath="/applicant/usage" options={result.options} values={result.filter.params} />
      <UsageDashboard data={result} basePath="/applicant/usage" showOrganisation={result.options.organizations.length > 1} />
    </div>
  );
}
