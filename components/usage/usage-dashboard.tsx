// The usage dashboard shared by the admin and applicant pages: filter bar, totals, charts, errors by code, quotas.
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FilterForm, FilterInput, FilterSelect } from "@/components/ui/filters";
import { EmptyState, Table, TableBody } from "@/components/ui/table";
import { usageRanges, usageStatuses } from "@/lib/usage/filters";
import { UsageCharts, type ChartPoint } from "./usage-charts";

export interface Option {
  id: string;
  name: string;
}

export interface FilterOptions {
  organizations: Option[];
  applications: Option[];
  keys: Option[];
}

const ranges = usageRanges;
const statuses = { ...usageStatuses, "429": "429 (limits and quota)" } as const;

const number = (value: number | null) => (value === null ? "–" : value.toLocaleString("en-US"));

export function exportHref(basePath: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return `${basePath}/export${query ? `?${query}` : ""}`;
}

/** The GET filter form; `values` are the parameters as given, so a refused value stays in its field. */
export function UsageFilterBar({ basePath, options, values, errors = {} }: { basePath: string; options: FilterOptions; values: Record<string, string>; errors?: Record<string, string[] | undefined> }) {
  const describedBy = (name: string) => (errors[name] ? `usage-filter-${name}-error` : undefined);
  const select = (name: string, label: string, choices: Option[], anyLabel: string) => (
    <FilterSelect id={`usage-filter-${name}`} name={name} label={label} defaultValue={values[name] ?? ""} aria-invalid={errors[name] ? true : undefined} aria-describedby={describedBy(name)}>
      <option value="">{anyLabel}</option>
      {choices.map((choice) => (
        <option key={choice.id} value={choice.id}>
          {choice.name}
        </option>
      ))}
    </FilterSelect>
  );
  const fieldErrors = Object.entries(errors).flatMap(([name, messages]) => (messages ?? []).map((message) => ({ name, message })));
  return (
    <div>
      <FilterForm action={basePath} clearHref={basePath} submitLabel="Apply filters">
        {select("org", "Organisation", options.organizations, "All organisations")}
        {select("app", "Application", options.applications, "All applications")}
        {select("key", "Key", options.keys, "All keys")}
        <FilterInput id="usage-filter-model" name="model" label="Model" defaultValue={values.model ?? ""} className="w-40" aria-describedby={describedBy("model")} />
        <FilterInput id="usage-filter-endUser" name="endUser" label="End user" defaultValue={values.endUser ?? ""} className="w-36" aria-describedby={describedBy("endUser")} />
        <FilterSelect id="usage-filter-status" name="status" label="Status" defaultValue={values.status ?? ""} aria-describedby={describedBy("status")}>
          <option value="">Any status</option>
          {Object.entries(statuses).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect id="usage-filter-range" name="range" label="Time range" defaultValue={values.range ?? "30d"} aria-describedby={describedBy("range")}>
          {Object.entries(ranges).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </FilterSelect>
        <FilterInput id="usage-filter-from" name="from" type="date" label="From (UTC)" defaultValue={values.from ?? ""} aria-describedby={describedBy("from")} />
        <FilterInput id="usage-filter-to" name="to" type="date" label="To (UTC)" defaultValue={values.to ?? ""} aria-describedby={describedBy("to")} />
      </FilterForm>
      <p className="-mt-2 mb-4 text-xs text-slate-500">From and To, when set, replace the time range. Ranges up to two days are drawn per hour, longer ones per day.</p>
      {fieldErrors.length > 0 ? (
        <ul className="mb-4 space-y-1 text-sm text-red-700">
          {fieldErrors.map(({ name, message }) => (
            <li key={`${name}-${message}`} id={`usage-filter-${name}-error`}>
              {message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export interface DashboardData {
  filter: { since: Date; until: Date; bucket: "hour" | "day"; params: Record<string, string> };
  series: ChartPoint[];
  totals: { requests: number; promptTokens: number; completionTokens: number; tokens: number; errors: number; flagged: number; p50: number | null; p95: number | null };
  errorsByCode: { code: string; requests: number }[];
  quotas: { grantId: string; organizationName: string; kind: "DEVELOPMENT" | "LIVE"; applicationName: string | null; quota: number; used: number; share: number; level: "ok" | "warning" | "exceeded" }[];
}

function Stat({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <div className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

const utc = (date: Date) => date.toISOString().slice(0, 16).replace("T", " ");

export function UsageDashboard({ data, basePath, showOrganisation }: { data: DashboardData; basePath: string; showOrganisation: boolean }) {
  const { totals, filter } = data;
  return (
    <div className="space-y-6">
      <Card title="Totals">
        <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-slate-600">
            From {utc(filter.since)} to {utc(filter.until)} UTC.
          </p>
          <a href={exportHref(basePath, filter.params)} className={buttonClass("secondary")} download>
            Export CSV
          </a>
        </div>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
          <Stat label="Requests" value={number(totals.requests)} testId="usage-total-requests" />
          <Stat label="Tokens" value={number(totals.tokens)} testId="usage-total-tokens" />
          <Stat label="Prompt / completion" value={`${number(totals.promptTokens)} / ${number(totals.completionTokens)}`} testId="usage-total-split" />
          <Stat label="Errors" value={number(totals.errors)} testId="usage-total-errors" />
          <Stat label="Flagged" value={number(totals.flagged)} testId="usage-total-flagged" />
          <Stat label="Latency p50" value={totals.p50 === null ? "–" : `${number(totals.p50)} ms`} testId="usage-total-p50" />
          <Stat label="Latency p95" value={totals.p95 === null ? "–" : `${number(totals.p95)} ms`} testId="usage-total-p95" />
        </dl>
      </Card>
      <Card title="Over time">
        {totals.requests === 0 ? (
          <EmptyState>No API usage matches these filters. Calls made with the keys appear here within a few seconds.</EmptyState>
        ) : (
          <UsageCharts points={data.series} bucket={filter.bucket} />
        )}
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Errors by code">
          {data.errorsByCode.length === 0 ? (
            <EmptyState>No failed requests in this selection.</EmptyState>
          ) : (
            <Table label="Errors by code">
              <thead className="text-slate-500">
                <tr>
                  <th scope="col" className="py-1 pr-4 font-medium">Code</th>
                  <th scope="col" className="py-1 text-right font-medium">Requests</th>
                </tr>
              </thead>
              <TableBody>
                {data.errorsByCode.map((entry) => (
                  <tr key={entry.code}>
                    <td className="py-1 pr-4 font-mono text-xs">{entry.code}</td>
                    <td className="py-1 text-right tabular-nums">{number(entry.requests)}</td>
                  </tr>
                ))}
              </TableBody>
            </Table>
          )}
        </Card>
        <Card title="Monthly token quota">
          {data.quotas.length === 0 ? (
            <EmptyState>No key grants with usage this month.</EmptyState>
          ) : (
            <Table label="Monthly token quota used per grant">
              <thead className="text-slate-500">
                <tr>
                  <th scope="col" className="py-1 pr-4 font-medium">Grant</th>
                  <th scope="col" className="py-1 pr-4 text-right font-medium">Used this month</th>
                  <th scope="col" className="py-1 font-medium">Status</th>
                </tr>
              </thead>
              <TableBody>
                {data.quotas.map((quota) => (
                  <tr key={quota.grantId} data-testid={`quota-row-${quota.grantId}`}>
                    <td className="py-1 pr-4">
                      {showOrganisation ? `${quota.organizationName}: ` : ""}
                      {quota.kind === "LIVE" ? "Production" : "Development"} keys
                      {quota.applicationName ? <span className="text-slate-500"> ({quota.applicationName})</span> : null}
                    </td>
                    <td className="py-1 pr-4 text-right tabular-nums">
                      {number(quota.used)} of {number(quota.quota)} ({Math.floor(quota.share * 100)} %)
                      <progress className="ml-2 h-2 w-24 align-middle" max={quota.quota} value={Math.min(quota.used, quota.quota)} aria-label={`Quota used by ${quota.organizationName} ${quota.kind === "LIVE" ? "production" : "development"} keys`} />
                    </td>
                    <td className="py-1">
                      {quota.level === "exceeded" ? (
                        <Badge tone="red">Quota used up: requests are refused until next month</Badge>
                      ) : quota.level === "warning" ? (
                        <Badge tone="amber">Warning: over 80 % used</Badge>
                      ) : (
                        <Badge tone="green">Within quota</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </TableBody>
            </Table>
          )}
        </Card>
      </div>
    </div>
  );
}
