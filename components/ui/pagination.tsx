import Link from "next/link";
import { redirect } from "next/navigation";

/**
 * A page number past the last page (an old link, a hand-edited address) goes to the last page, rather than showing an
 * empty list beside a count that says otherwise. For server components, before they render the list.
 */
export function redirectPastLastPage(page: number, pageCount: number, hrefFor: (page: number) => string): void {
  if (page > pageCount && pageCount >= 1) redirect(hrefFor(pageCount));
}

/** Previous / next links that keep the other query parameters; an inexact pageCount is at least that many. */
export function PageLinks({
  page,
  pageCount,
  hrefFor,
  label = "Pagination",
  isPageCountExact = true,
}: {
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
  label?: string;
  isPageCountExact?: boolean;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={label} className="mt-4 flex items-center gap-4 text-sm">
      {page > 1 ? <Link href={hrefFor(page - 1)}>Previous</Link> : <span className="text-slate-500">Previous</span>}
      <span>
        Page {page} of {pageCount}
        {isPageCountExact ? "" : " or more"}
      </span>
      {page < pageCount ? <Link href={hrefFor(page + 1)}>Next</Link> : <span className="text-slate-500">Next</span>}
    </nav>
  );
}

export function queryHref(path: string, params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
