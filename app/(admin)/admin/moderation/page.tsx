import type { Metadata } from "next";
import Link from "next/link";
import { ModerationReviewButton } from "@/components/admin/moderation-review-button";
import { PageLinks, queryHref } from "@/components/ui/pagination";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { formatUtc } from "@/lib/keys/status";
import { listModerationEvents, moderationViews } from "@/lib/moderation/review-queue";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Moderation" };

const viewLabels = { unreviewed: "Awaiting review", all: "All flagged items" } as const;
const actionTones = { BLOCKED: "red", REDACTED: "amber", LOGGED: "slate" } as const;

export default async function ModerationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/moderation");
  const params = await searchParams;
  const { events, total, page, pageCount, view } = await listModerationEvents({ actor, input: { view: params.view, page: params.page } });
  return (
    <div className="space-y-6">
      <PageHeader title="Moderation" description="Inputs and outputs the content filters flagged, newest first." />
      <nav aria-label="Moderation views" className="flex gap-4 text-sm">
        {moderationViews.map((name) => (
          <Link
            key={name}
            href={queryHref("/admin/moderation", { view: name })}
            aria-current={name === view ? "page" : undefined}
            className={name === view ? "font-semibold text-indigo-700" : "text-slate-600 hover:text-indigo-700"}
          >
            {viewLabels[name]}
          </Link>
        ))}
      </nav>
      <Card>
        <p className="mb-4 text-sm text-slate-600">
          {total} item{total === 1 ? "" : "s"} {view === "unreviewed" ? "awaiting review" : "in total"}.
        </p>
        {events.length === 0 ? (
          <EmptyState>
            {total > 0 ? "No items on this page." : view === "unreviewed" ? "Nothing is waiting for review: no flagged input or output is unreviewed." : "Nothing has been flagged yet."}
          </EmptyState>
        ) : (
          <div>
            <Table label="Flagged inputs and outputs">
              <TableHead columns={["When", "Organisation and key", "Direction and action", "Categories", "Excerpt", "Review"]} />
              <TableBody>
                {events.map((event) => (
                  <tr key={event.id}>
                    <td className="py-3 pr-4 align-top whitespace-nowrap">
                      {formatUtc(event.createdAt)}
                      <div className="font-mono text-xs text-slate-500">{event.requestId}</div>
                    </td>
                    <td className="py-3 pr-4 align-top">
                      {event.organizationName ?? "Unknown organisation"}
                      <div className="font-mono text-xs text-slate-500">{event.keyPrefix ? `${event.keyPrefix}…` : "no key"}</div>
                    </td>
                    <td className="py-3 pr-4 align-top">
                      <div>{event.direction === "INPUT" ? "Input" : "Output"}</div>
                      <Badge tone={actionTones[event.action]}>{event.action.toLowerCase()}</Badge>
                    </td>
                    <td className="py-3 pr-4 align-top">{event.categories.length > 0 ? event.categories.join(", ") : "—"}</td>
                    <td className="max-w-xs py-3 pr-4 align-top">
                      <blockquote className="break-words text-slate-700">{event.excerpt}</blockquote>
                    </td>
                    <td className="py-3 align-top">
                      {event.reviewedAt ? (
                        <span className="text-slate-600">
                          Reviewed {formatUtc(event.reviewedAt)}
                          {event.reviewedBy ? ` by ${event.reviewedBy}` : ""}
                        </span>
                      ) : (
                        <ModerationReviewButton eventId={event.id} />
                      )}
                    </td>
                  </tr>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        <PageLinks page={page} pageCount={pageCount} hrefFor={(target) => queryHref("/admin/moderation", { view, page: target })} />
      </Card>
    </div>
  );
}
