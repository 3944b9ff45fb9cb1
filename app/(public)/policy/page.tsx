import type { Metadata } from "next";
import Link from "next/link";
import { CategoryStatusBadge } from "@/components/categories/category-status-badge";
import { PageHeader } from "@/components/ui/card";
import { listActiveCategories } from "@/lib/categories/queries";

export const metadata: Metadata = { title: "Use-case policy" };

const statusText = {
  SUPPORTED: "supported",
  CASE_BY_CASE: "case by case",
  NOT_SUPPORTED: "not supported",
} as const;

/** The public use-case policy: what Gatehouse supports, reviews case by case, or does not support. */
export default async function PolicyPage() {
  const categories = await listActiveCategories();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Use-case policy"
        description="Every application names one of these categories. Supported use cases are reviewed against the safeguards listed; case-by-case ones need a stronger plan; the rest are not accepted."
      />
      {categories.length === 0 ? (
        <p className="text-sm text-slate-600">No use-case categories are published yet.</p>
      ) : (
        <ol className="space-y-4">
          {categories.map((category) => (
            <li key={category.id} id={category.slug} data-testid={`policy-${category.slug}`} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <div className="flex flex-wrap items-center gap-3">
                <h2 className="text-lg font-semibold">{category.name}</h2>
                <CategoryStatusBadge status={category.status} />
                <span className="sr-only">Status: {statusText[category.status]}</span>
              </div>
              <p className="mt-2 text-sm text-slate-700">{category.description}</p>
              <div className="mt-3 grid gap-4 text-sm md:grid-cols-2">
                {category.examples.length > 0 ? (
                  <div>
                    <h3 className="font-medium text-slate-800">Examples</h3>
                    <ul className="mt-1 list-disc pl-5 text-slate-600">
                      {category.examples.map((example) => (
                        <li key={example}>{example}</li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                {category.safeguards.length > 0 ? (
                  <div>
                    <h3 className="font-medium text-slate-800">Safeguards reviewers expect</h3>
                    <ul className="mt-1 list-disc pl-5 text-slate-600">
                      {category.safeguards.map((safeguard) => (
                        <li key={safeguard}>{safeguard}</li>
                      ))}
                    </ul>
                  </div>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
      <p className="text-sm text-slate-600">
        Unsure where your product fits?{" "}
        <Link href="/signup" className="font-medium text-indigo-700 hover:underline">
          Apply
        </Link>{" "}
        and describe it: reviewers will talk it through with you.
      </p>
    </div>
  );
}
