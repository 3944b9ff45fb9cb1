import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, Table, TableBody } from "@/components/ui/table";
import { UsageDashboard, UsageFilterBar } from "@/components/usage/usage-dashboard";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getUsageDashboard, getUsageFilterOptions } from "@/lib/usage/dashboard";
import { searchParamsToInput } from "@/lib/usage/filters";
import { getMonthlyUsageByOrganization } from "@/lib/usage/reports";

export const metadata: Metadata = { title: "Usage" };

const number = (value: number) => value.toLocaleString("en-US");

export default async function AdminUsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/usage");
  const input = searchParamsToInput(await searchParams);
  const [result, monthly] = await Promise.all([
    getUsageDashboard({ actor, as: "admin", input }).catch((error: unknown) => {
      // A bad filter is answered on the page, with the filter bar to correct it.
      if (isAppError(error) && (error.kind === "invalid" || error.kind === "not_found")) return error;
      throw error;
    }),
    getMonthlyUsageByOrganization({ actor }),
  ]);
  const month = monthly.since.toLocaleString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
  const max = Math.max(1, ...monthly.rows.map((row) => row.totalTokens));
  return (
    <div className="space-y-6">
      <PageHeader title="Usage" description="Every organisation's API usage: requests, tokens, errors, flagged requests and latency (times in UTC)." />
      {isAppError(result) ? (
        <>
          <UsageFilterBar basePath="/admin/usage" options={await getUsageFilterOptions({ actor, as: "admin" })} values={input} errors={result.fieldErrors} />
          <Card>
            <p role="alert" className="text-sm text-red-700">
              {result.kind === "invalid" ? "These filters cannot be used: correct the values listed above." : result.message}
            </p>
          </Card>
        </>
      ) : (
        <>
          <UsageFilterBar basePath="/admin/usage" options={result.options} values={result.filter.params} />
          <UsageDashboard data={result} basePath="/admin/usage" showOrganisation />
        </>
      )}
      <Card title={`This month per organisation`}>
        <p className="mb-2 text-sm text-slate-600">Requests and tokens per organisation in {month} (UTC), heaviest first.</p>
        {monthly.rows.length === 0 ? (
          <EmptyState>No API usage yet this month.</EmptyState>
        ) : (
          <Table label="Usage by organisation">
            <caption className="mb-2 text-left text-slate-600">
              {number(monthly.totals.requests)} requests and {number(monthly.totals.totalTokens)} tokens in total.
            </caption>
            <thead className="text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">Organisation</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">Requests</th>
                {/* On a phone the split of the tokens and the bar give way to the totals, which then fit the width. */}
                <th scope="col" className="hidden py-2 pr-4 text-right font-medium sm:table-cell">Prompt tokens</th>
                <th scope="col" className="hidden py-2 pr-4 text-right font-medium sm:table-cell">Completion tokens</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">Total tokens</th>
                <th scope="col" className="hidden w-48 py-2 font-medium sm:table-cell"><span className="sr-only">Share of the heaviest organisation</span></th>
              </tr>
            </thead>
            <TableBody>
              {monthly.rows.map((row) => (
                <tr key={row.organizationId}>
                  <td className="py-2 pr-4">
                    {row.name} {row.isSuspended ? <Badge tone="red">Suspended</Badge> : null}
                  </td>
                  <td className="py-2 pr-4 text-right tabular-nums">{number(row.requests)}</td>
                  <td className="hidden py-2 pr-4 text-right tabular-nums sm:table-cell">{number(row.promptTokens)}</td>
                  <td className="hidden py-2 pr-4 text-right tabular-nums sm:table-cell">{number(row.completionTokens)}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{number(row.totalTokens)}</td>
                  <td className="hidden py-2 sm:table-cell" aria-hidden="true">
                    <div className="h-2 rounded bg-indigo-500" style={{ width: `${Math.max(2, (row.totalTokens / max) * 100)}%` }} />
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
