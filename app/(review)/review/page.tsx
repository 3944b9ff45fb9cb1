import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { FilterCheckbox, FilterForm, FilterInput, FilterSelect } from "@/components/ui/filters";
import { FormMessage } from "@/components/ui/form-message";
import { statusLabel } from "@/lib/applications/status";
import { requireArea } from "@/lib/auth/session";
import { formatAge } from "@/lib/reviews/format";
import { listQueueCategories, listReviewQueue } from "@/lib/reviews/queries";
import { listAssignableReviewers } from "@/lib/reviews/bulk";
import { listSavedViews } from "@/lib/reviews/views";
import { isAdmin } from "@/lib/auth/policy";
import { BULK_FORM_ID, QueueBulkActions } from "@/components/reviews/queue-bulk-actions";
import { CategoryFilter, StageFilter } from "@/components/reviews/queue-filters";
import { SavedViewList, SaveViewForm } from "@/components/reviews/saved-views";
import { PageLinks, redirectPastLastPage } from "@/components/ui/pagination";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Review queue" };

const notices: Record<string, string> = {
  conflict: "Conflict of interest declared: the application has left your queue.",
  done: "Review submitted. Nothing else is waiting for you in the queue.",
};


export default async function ReviewQueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("review", "/review");
  const params = await searchParams;
  const single = (key: string) => (typeof params[key] === "string" ? params[key] : undefined);
  const canBulk = isAdmin(actor);
  const [{ items, total, isTotalExact, page, pageCount, filter, searchError }, categories, savedViews, reviewers] = await Promise.all([
    listReviewQueue({
      actor,
      input: {
        stage: single("stage"),
        track: single("track"),
        category: single("category"),
        status: single("status"),
        assigned: single("assigned"),
        disagreement: single("disagreement"),
        highRisk: single("highRisk"),
        q: single("q"),
        page: single("page"),
      },
    }),
    listQueueCategories(),
    listSavedViews({ actor }),
    canBulk ? listAssignableReviewers({ actor }) : Promise.resolve([]),
  ]);
  const query = Object.fromEntries(Object.entries({ ...filter, page: undefined }).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== ""));
  const pageHref = (target: number) => `/review?${new URLSearchParams({ ...query, page: String(target) }).toString()}`;
  if (isTotalExact) redirectPastLastPage(page, pageCount, pageHref);
  const notice = notices[single("notice") ?? ""];
  const isFiltered = Object.keys(query).length > 0;
  const now = new Date();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Review queue"
        description={`${isTotalExact ? total : `More than ${total.toLocaleString("en")}`} application${total === 1 ? "" : "s"} awaiting review. Academic fairness and representation research comes first, then the longest waiting.`}
      >
        {actor.role === "ADMIN" ? (
          <div className="flex flex-wrap gap-3">
            <Link href="/admin/assignment" className={buttonClass("secondary")}>
              Automatic assignment
            </Link>
            <Link href="/admin/settings" className={buttonClass("secondary")}>
              Review settings
            </Link>
          </div>
        ) : null}
      </PageHeader>
      {notice ? <FormMessage message={notice} tone="success" /> : null}
      <Card title="Saved views">
        <SavedViewList views={savedViews} />
        {isFiltered && !searchError ? (
          <div className="mt-4">
            <SaveViewForm filter={query} />
          </div>
        ) : null}
      </Card>
      <Card>
        <FilterForm action="/review" submitLabel="Apply" clearHref={isFiltered ? "/review" : undefined}>
          <FilterInput
            id="queue-q"
            label="Search"
            name="q"
            defaultValue={filter.q}
            placeholder='e.g. stage:production risk:>=4 org:"Northwind"'
            aria-describedby={searchError ? "queue-q-error queue-search-help" : "queue-search-help"}
            aria-invalid={searchError ? true : undefined}
          />
          <StageFilter id="queue-stage" defaultValue={filter.stage} />
          <FilterSelect id="queue-track" label="Track" name="track" defaultValue={filter.track ?? ""}>
            <option value="">Any</option>
            <option value="STANDARD">Standard</option>
            <option value="ACADEMIC">Academic research</option>
          </FilterSelect>
          <CategoryFilter id="queue-category" defaultValue={filter.category} categories={categories} />
          <FilterSelect id="queue-status" label="Status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">Any</option>
            <option value="SUBMITTED">Submitted</option>
            <option value="IN_REVIEW">In review</option>
          </FilterSelect>
          <FilterSelect id="queue-assigned" label="Assignment" name="assigned" defaultValue={filter.assigned ?? ""}>
            <option value="">Any</option>
            <option value="me">Assigned to me</option>
            <option value="none">Unassigned</option>
          </FilterSelect>
          <FilterCheckbox label="Disagreement" name="disagreement" value="1" defaultChecked={filter.disagreement === "1"} />
          <FilterCheckbox label="High risk" name="highRisk" value="1" defaultChecked={filter.highRisk === "1"} />
        </FilterForm>
        {searchError ? (
          <p id="queue-q-error" role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
            The search could not be read: {searchError}.
          </p>
        ) : null}
        <SearchHelp />
        {canBulk && !searchError && items.length > 0 ? <QueueBulkActions total={total} isTotalExact={isTotalExact} filter={query} reviewers={reviewers} categories={categories} /> : null}
        {searchError ? null : items.length === 0 ? (
          <EmptyState>{isFiltered ? "No application matches these filters." : "The queue is empty: no application is awaiting review."}</EmptyState>
        ) : (
          <Table label="Review queue">
            <TableHead columns={[...(canBulk ? [<span key="select" className="sr-only">Select</span>] : []), "Application", "Stage and track", "Status", "Reviews", "Waiting"]} />
            <TableBody>
              {items.map((item) => (
                <tr key={item.id} data-testid="queue-row">
                  {canBulk ? (
                    <td className="py-3 pr-2 align-top">
                      <input type="checkbox" name="ids" value={item.id} form={BULK_FORM_ID} aria-label={`Select ${item.productName || "Untitled application"}`} />
                    </td>
                  ) : null}
                  <td className="py-3 pr-4 align-top">
                    <Link href={`/review/applications/${item.id}`} className="font-medium text-indigo-700 hover:underline">
                      {item.productName || "Untitled application"}
                    </Link>
                    <div className="text-slate-500">
                      {item.organizationName}
                      {item.categoryName ? ` · ${item.categoryName}` : ""}
                    </div>
                    <div className="mt-1 flex flex-wrap gap-1">
                      {item.priority > 0 ? <Badge tone="indigo">Prioritised</Badge> : null}
                      {item.isHighRisk ? <Badge tone="red">High risk</Badge> : null}
                      {item.hasDisagreement ? <Badge tone="amber">Disagreement</Badge> : null}
                      {item.isMine ? <Badge tone="green">Yours</Badge> : null}
                    </div>
                  </td>
                  <td className="py-3 pr-4 align-top">
                    {item.stage === "PRODUCTION" ? "Production review" : "Access request"}
                    <div className="text-slate-500">{item.track === "ACADEMIC" ? "Academic research" : "Standard"}</div>
                  </td>
                  <td className="py-3 pr-4 align-top">{statusLabel(item.status)}</td>
                  <td className="py-3 pr-4 align-top">
                    {item.reviewCount} submitted · {item.assignmentCount} reviewer{item.assignmentCount === 1 ? "" : "s"}
                  </td>
                  <td className="py-3 align-top whitespace-nowrap">{formatAge(item.submittedAt, now)}</td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
        <PageLinks page={page} pageCount={pageCount} isPageCountExact={isTotalExact} hrefFor={pageHref} />
      </Card>
    </div>
  );
}

const searchTerms: [string, string][] = [
  ["words or \"a phrase\"", "in the product or organisation name"],
  ["status:submitted, status:in_review", "the application's status"],
  ["stage:access, stage:production", "access request or production review"],
  ["track:standard, track:academic", "the track"],
  ["cat:chatbot", "the category (slug or name contains)"],
  ["org:\"Northwind\"", "the organisation's name contains"],
  ["risk:>=4, misuse:<=2", "the reviewers' average risk or misuse-plan score (1 to 5)"],
  ["reviews:<2", "the number of submitted reviews"],
  ["age:>3d", "submitted more than 3 days ago (units h, d, w)"],
  ["assigned:me, assigned:none", "claimed by you, or by nobody"],
  ["disagreement, high-risk", "flagged applications"],
];

/** The search language, documented where it is used. */
function SearchHelp() {
  return (
    <details id="queue-search-help" className="mb-4 text-sm text-slate-700">
      <summary className="cursor-pointer font-medium text-indigo-700">Search syntax</summary>
      <p className="mt-2">
        Terms are combined with AND (the default when you leave a space), OR and NOT, grouped with parentheses; comparisons take =, &lt;, &lt;=, &gt; or &gt;=. For example:{" "}
        <code className="rounded bg-slate-100 px-1">stage:production (risk:&gt;=4 OR disagreement) NOT assigned:none age:&gt;3d</code>
      </p>
      <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[minmax(0,18rem)_1fr]">
        {searchTerms.map(([term, meaning]) => (
          <div key={term} className="contents">
            <dt>
              <code className="rounded bg-slate-100 px-1">{term}</code>
            </dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
