import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { KeyAreaNav } from "@/components/keys/key-area-nav";
import { DailyBars, DailyUsageTable } from "@/components/usage/daily-bars";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getUsageForUser, USAGE_DAYS } from "@/lib/usage/reports";
import { Table, TableBody } from "@/components/ui/table";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("applicant", "/applicant/usage");
  const params = await searchParams;
  const report = await getUsageForUser({ actor, input: { keyId: typeof params.key === "string" ? params.key : undefined } }).catch((error: unknown) => {
    if (isAppError(error) && error.kind === "not_found") notFound();
    throw error;
  });
  return (
    <div>
      <PageHeader title="Usage" description={`Requests and tokens per UTC day over the last ${USAGE_DAYS} days.`} />
      <KeyAreaNav current="/applicant/usage" />
      {report.selectedKey ? (
        <p className="mb-4 text-sm">
          Showing key <strong>{report.selectedKey.name}</strong> <span className="font-mono text-xs">({report.selectedKey.prefix}…)</span>.{" "}
          <Link href="/applicant/usage" className="font-medium text-indigo-700 hover:underline">
            Show the whole organisation
          </Link>
        </p>
      ) : null}
      {report.organizations.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-600">You are not a member of an organisation yet, so there is no usage to show.</p>
        </Card>
      ) : null}
      <div className="space-y-6">
        {report.organizations.map((organization) => (
          <Card key={organization.id} title={organization.name}>
            {organization.totals.requests === 0 ? (
              <p className="text-sm text-slate-600">No usage in the last {USAGE_DAYS} days. Calls made with this organisation&apos;s keys appear here.</p>
            ) : (
              <div className="space-y-6">
                <div className="grid gap-6 md:grid-cols-2">
                  <DailyBars days={organization.daily} metric="requests" label="Requests" />
                  <DailyBars days={organization.daily} metric="tokens" label="Tokens" />
                </div>
                <details>
                  <summary className="cursor-pointer text-sm font-medium text-slate-700">Show the numbers as a table</summary>
                  <div className="mt-2">
                    <DailyUsageTable days={organization.daily} caption={`Daily usage of ${organization.name}`} />
                  </div>
                </details>
              </div>
            )}
            {organization.perKey.length > 0 && !report.selectedKey ? (
              <div className="mt-6">
                <h3 className="mb-2 text-sm font-semibold text-slate-700">Per key, last {USAGE_DAYS} days</h3>
                <Table label={`Usage per key of ${organization.name}`} className="max-w-2xl">
                  <thead className="text-slate-500">
                    <tr>
                      <th scope="col" className="py-1 pr-4 font-medium">Key</th>
                      <th scope="col" className="py-1 pr-4 text-right font-medium">Requests</th>
                      <th scope="col" className="py-1 pr-4 text-right font-medium">Tokens</th>
                      <th scope="col" className="py-1 font-medium"><span className="sr-only">Chart</span></th>
                    </tr>
                  </thead>
                  <TableBody>
                    {organization.perKey.map((key) => (
                      <tr key={key.id}>
                        <td className="py-1 pr-4">
                          {key.name} <span className="font-mono text-xs text-slate-500">{key.prefix}…</span>
                        </td>
                        <td className="py-1 pr-4 text-right tabular-nums">{key.requests.toLocaleString("en-US")}</td>
                        <td className="py-1 pr-4 text-right tabular-nums">{key.tokens.toLocaleString("en-US")}</td>
                        <td className="py-1">
                          <Link href={`/applicant/usage?key=${encodeURIComponent(key.id)}`} className="text-indigo-700 hover:underline" aria-label={`Daily usage of ${key.name}`}>
                            Daily chart
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </TableBody>
                </Table>
              </div>
            ) : null}
          </Card>
        ))}
      </div>
    </div>
  );
}
