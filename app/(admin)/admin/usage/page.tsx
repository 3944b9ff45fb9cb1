import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { getMonthlyUsageByOrganization } from "@/lib/usage/reports";
import { EmptyState, Table, TableBody } from "@/components/ui/table";

export const metadata: Metadata = { title: "Usage" };

const number = (value: number) => value.toLocaleString("en-US");

export default async function AdminUsagePage() {
  const actor = await requireArea("admin", "/admin/usage");
  const { since, rows, totals } = await getMonthlyUsageByOrganization({ actor });
  const month = since.toLocaleString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
  const max = Math.max(1, ...rows.map((row) => row.totalTokens));
  return (
    <div className="space-y-6">
      <PageHeader title="Usage" description={`Requests and tokens per organisation in ${month} (UTC), heaviest first.`} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState>No API usage yet this month.</EmptyState>
        ) : (
          <Table label="Usage by organisation">
            <caption className="mb-2 text-left text-slate-600">
              {number(totals.requests)} requests and {number(totals.totalTokens)} tokens in total.
            </caption>
            <thead className="text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">Organisation</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">Requests</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">Prompt tokens</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">Completion tokens</th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">Total tokens</th>
                <th scope="col" className="w-48 py-2 font-medium"><span className="sr-only">Share of the heaviest organisation</span></th>
              </tr>
            </thead>
            <TableBody>
              {rows.map((row) => (
                <tr key={row.organizationId}>
                  <td className="py-2 pr-4">
                    {row.name} {row.isSuspended ? <Badge tone="red">Suspended</Badge> : null}
                  </td>
                  <td className="py-2 pr-4 text-right tabular-nums">{number(row.requests)}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{number(row.promptTokens)}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{number(row.completionTokens)}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{number(row.totalTokens)}</td>
                  <td className="py-2" aria-hidden="true">
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
