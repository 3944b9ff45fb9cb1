import type { Metadata } from "next";
import Link from "next/link";
import { ModerationActions } from "@/components/admin/moderation-actions";
import { PageLinks, queryHref, redirectPastLastPage } from "@/components/ui/pagination";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { formatUtc } from "@/lib/keys/status";
import { listModerationEvents, moderationViews } from "@/lib/moderation/review-queue";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Moderation" };

const viewLabels = { unreviewed: "Awaiting review", all: "All flagged items" } as const;
const actionTones = { BLOCKED: "red", REDACTED: "amber", LOGGED: "slate" } as const;
const resolutionLabels: Record<string, string> = {
  dismissed: "Dismissed",
  warned: "Organisation warned",
  key_suspended: "Key suspended",
  organization_suspended: "Organisation suspended",
  key_revoked: "Key revoked",
};
const keyStatusLabels = { active: "active", suspended: "suspended", revoked: "revoked", missing: "deleted" } as const;

export default async function ModerationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/moderation");
  const params = await searchParams;
  const { events, total, page, pageCount, view } = await listModerationEvents({ actor, input: { view: params.view, page: params.page } });
  const pageHref = (target: number) => queryHref("/admin/moderation", { view, page: target });
  redirectPastLastPage(page, pageCount, pageHref);
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
              <TableHead columns={["When", "Organisation, key and end user", "Direction and action", "Categories and scores", "Excerpt", "Actions"]} />
              <TableBody>
                {events.map((event) => (
                  <tr key={event.id} data-testid={`moderation-row-${event.requestId}`}>
                    <td className="py-3 pr-4 align-top whitespace-nowrap">
                      {formatUtc(event.createdAt)}
                      <div className="font-mono text-xs text-slate-500">{event.requestId}</div>
                    </td>
                    <td className="py-3 pr-4 align-top">
                      {event.organizationName ?? "Unknown organisation"}
                      {event.isOrganizationSuspended ? <Badge tone="red">API access suspended</Badge> : null}
                      <div className="font-mono text-xs text-slate-500">
                        {event.keyPrefix ? `${event.keyPrefix}…` : "no key"}
                        {event.keyId ? ` (${keyStatusLabels[event.keyStatus]})` : ""}
                      </div>
                      <div className="text-xs text-slate-500">End user: {event.endUserId ?? "not given"}</div>
                    </td>
                    <td className="py-3 pr-4 align-top">
                      <div>{event.direction === "INPUT" ? "Input" : "Output"}</div>
                      <Badge tone={actionTones[event.action]}>{event.action.toLowerCase()}</Badge>
                    </td>
                    <td className="py-3 pr-4 align-top">
                      {event.scores.length > 0 ? (
                        <ul className="text-xs">
                          {event.scores.map((score) => (
                            <li key={score.category} className={event.categories.includes(score.category) ? "font-semibold" : "text-slate-500"}>
                              {score.category}: {score.score.toFixed(2)}
                            </li>
                          ))}
                        </ul>
                      ) : event.categories.length > 0 ? (
                        event.categories.join(", ")
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="max-w-xs py-3 pr-4 align-top">
                      {event.excerpt ? (
                        <blockquote className="break-words text-slate-700">{event.excerpt}</blockquote>
                      ) : (
                        <span className="text-xs text-slate-500">Excerpt removed after the retention period.</span>
                      )}
                    </td>
                    <td className="py-3 align-top">
                      {event.reviewedAt ? (
                        <p className="mb-2 text-xs text-slate-600">
                          {event.resolution ? (resolutionLabels[event.resolution] ?? event.resolution) : "Reviewed"} {formatUtc(event.reviewedAt)}
                          {event.reviewedBy ? ` by ${event.reviewedBy}` : ""}
                        </p>
                      ) : null}
                      <ModerationActions
                        eventId={event.id}
                        organizationName={event.organizationName ?? "this organisation"}
                        keyLabel={event.keyPrefix ? `key ${event.keyPrefix}…` : "this key"}
                        canDismiss={!event.reviewedAt}
                        canWarn={event.organizationName !== null}
                        canSuspendKey={event.keyStatus === "active"}
                        canRevokeKey={event.keyStatus === "active" || event.keyStatus === "suspended"}
                        canSuspendOrganization={event.organizationName !== null && !event.isOrganizationSuspended}
                      />
                    </td>
                  </tr>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        <PageLinks page={page} pageCount={pageCount} hrefFor={pageHref} />
      </Card>
    </div>
  );
}
