import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { FilterForm, FilterInput, FilterSelect } from "@/components/ui/filters";
import { FormMessage } from "@/components/ui/form-message";
import { PageLinks, queryHref, redirectPastLastPage } from "@/components/ui/pagination";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";
import { describeAuditData } from "@/lib/audit/format";
import { listAuditEntries, listAuditFilterChoices } from "@/lib/audit/queries";
import { auditFilterParams } from "@/lib/audit/schema";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { formatUtc } from "@/lib/keys/status";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requireArea("admin", "/admin/audit");
  const params = await searchParams;
  const [result, choices] = await Promise.all([
    listAuditEntries({ actor, input: params }).catch((error: unknown) => {
      if (isAppError(error) && error.kind === "invalid") return { error: error.message };
      throw error;
    }),
    listAuditFilterChoices({ actor }),
  ]);
  const filterParams = "error" in result ? {} : auditFilterParams(result.filter);
  const pageHref = (target: number) => queryHref("/admin/audit", { ...filterParams, page: target });
  if (!("error" in result)) redirectPastLastPage(result.page, result.pageCount, pageHref);
  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Every privileged action, newest first. Entries cannot be edited or deleted.">
        <Link href="/admin" className="text-sm font-medium text-indigo-700 hover:underline">
          Back to admin
        </Link>
      </PageHeader>
      <Card>
        <FilterForm action="/admin/audit" clearHref="/admin/audit">
          <FilterInput id="audit-actor" name="actor" label="Actor (email, or “system”)" defaultValue={first(params.actor)} maxLength={200} />
          <FilterSelect id="audit-action" name="action" label="Action" defaultValue={first(params.action)}>
            <option value="">Any action</option>
            {choices.actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect id="audit-target-type" name="targetType" label="Target type" defaultValue={first(params.targetType)}>
            <option value="">Any target</option>
            {choices.targetTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </FilterSelect>
          <FilterInput id="audit-target-id" name="targetId" label="Target id" defaultValue={first(params.targetId)} maxLength={100} />
          <FilterInput id="audit-from" name="from" label="From (UTC)" type="date" defaultValue={first(params.from)} />
          <FilterInput id="audit-to" name="to" label="To (UTC, inclusive)" type="date" defaultValue={first(params.to)} />
        </FilterForm>
        {"error" in result ? (
          <FormMessage tone="error" message={`These filters cannot be applied: ${result.error}`} />
        ) : (
          <>
            <div className="mb-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
              <p>
                {result.total} entr{result.total === 1 ? "y" : "ies"}
                {Object.values(filterParams).some(Boolean) ? " match these filters" : " in total"}.
              </p>
              <a href={queryHref("/admin/audit/export", filterParams)} className="font-medium text-indigo-700 hover:underline" download>
                Export CSV
              </a>
            </div>
            {result.entries.length === 0 ? (
              <EmptyState>
                {result.total > 0 ? "No entries on this page." : Object.values(filterParams).some(Boolean) ? "No entry matches these filters." : "No privileged action has been taken yet."}
              </EmptyState>
            ) : (
              <Table label="Audit log entries">
                <TableHead columns={["When", "Actor", "Action", "Target", "Change"]} />
                <TableBody>
                  {result.entries.map((entry) => {
                    const details = describeAuditData(entry.data);
                    return (
                      <tr key={entry.id} data-testid="audit-entry">
                        <td className="py-3 pr-4 align-top whitespace-nowrap">{formatUtc(entry.createdAt)}</td>
                        <td className="py-3 pr-4 align-top">{entry.actor?.email ?? "system"}</td>
                        <td className="py-3 pr-4 align-top font-mono text-xs">{entry.action}</td>
                        <td className="py-3 pr-4 align-top">
                          <div>{entry.targetType}</div>
                          <div className="font-mono text-xs text-slate-500">{entry.targetId}</div>
                        </td>
                        <td className="max-w-md py-3 align-top">
                          {details.length === 0 ? (
                            <span className="text-slate-500">—</span>
                          ) : (
                            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
                              {details.map((detail) => (
                                <div key={detail.label} className="contents">
                                  <dt className="font-medium text-slate-700">{detail.label}</dt>
                                  <dd className="break-words text-slate-800">{detail.value}</dd>
                                </div>
                              ))}
                            </dl>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </TableBody>
              </Table>
            )}
            <PageLinks page={result.page} pageCount={result.pageCount} hrefFor={pageHref} label="Audit log pages" />
          </>
        )}
      </Card>
    </div>
  );
}
