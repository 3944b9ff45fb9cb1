import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { PageLinks, queryHref, redirectPastLastPage } from "@/components/ui/pagination";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";
import { listAppeals } from "@/lib/appeals/queries";
import { appealGroundLabels, appealStatusLabels } from "@/lib/appeals/schema";
import { requireArea } from "@/lib/auth/session";
import { outcomeLabel } from "@/lib/decisions/outcomes";
import { formatDateTime } from "@/lib/reviews/format";

export const metadata: Metadata = { title: "Appeals" };

const filters = [
  { value: "OPEN", label: "Open" },
  { value: "UPHELD", label: "Upheld" },
  { value: "GRANTED", label: "Granted" },
  { value: "ALL", label: "All" },
] as const;

const tones = { OPEN: "amber", UPHELD: "slate", GRANTED: "green" } as const;

export default async function AppealsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/appeals");
  const params = await searchParams;
  const { appeals, total, page, pageCount, status } = await listAppeals({ actor, input: { status: params.status, page: params.page } });
  const pageHref = (target: number) => queryHref("/admin/appeals", { status: status === "OPEN" ? null : status, page: target });
  redirectPastLastPage(page, pageCount, pageHref);
  return (
    <div className="space-y-6">
      <PageHeader title="Appeals" description="Applicants' appeals of rejections and requests for changes, oldest first. An appeal is decided by an administrator who did not make the decision." />
      <nav aria-label="Appeal status" className="flex flex-wrap gap-4 text-sm">
        {filters.map((filter) => (
          <Link
            key={filter.value}
            href={queryHref("/admin/appeals", { status: filter.value === "OPEN" ? null : filter.value })}
            aria-current={status === filter.value ? "page" : undefined}
            className={status === filter.value ? "font-semibold text-slate-900 underline" : "font-medium text-indigo-700 hover:underline"}
          >
            {filter.label}
          </Link>
        ))}
      </nav>
      <Card>
        {appeals.length === 0 ? (
          <EmptyState>{status === "OPEN" ? "No appeal is waiting for a decision." : "No appeal matches this filter."}</EmptyState>
        ) : (
          <Table label={`Appeals (${total})`}>
            <TableHead columns={["Application", "Decision appealed", "Grounds", "Status", "Sent"]} />
            <TableBody>
              {appeals.map((appeal) => (
                <tr key={appeal.id} data-testid="appeal-row">
                  <td className="py-2 pr-4">
                    <Link href={`/admin/appeals/${appeal.id}`} className="font-medium text-indigo-700 hover:underline">
                      {appeal.application.productName || "Untitled application"}
                    </Link>
                    <span className="block text-xs text-slate-600">{appeal.application.organization.name}</span>
                  </td>
                  <td className="py-2 pr-4">
                    {outcomeLabel(appeal.decision.outcome)} <span className="block text-xs text-slate-600">by {appeal.decision.admin.email}</span>
                  </td>
                  <td className="py-2 pr-4">{appeal.grounds.map((ground) => appealGroundLabels[ground]).join("; ")}</td>
                  <td className="py-2 pr-4">
                    <Badge tone={tones[appeal.status]}>{appealStatusLabels[appeal.status]}</Badge>
                  </td>
                  <td className="py-2 whitespace-nowrap">{formatDateTime(appeal.createdAt)}</td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
        <PageLinks page={page} pageCount={pageCount} hrefFor={pageHref} />
      </Card>
    </div>
  );
}
