"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import { bulkQueueAction } from "@/lib/actions/queue";
import { Button } from "@/components/ui/button";
import { SelectField, TextareaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";

/** The form the queue rows' checkboxes belong to (their `form` attribute). */
export const BULK_FORM_ID = "queue-bulk";

type BulkAction = "assign" | "requestChanges" | "reject";

const actionLabels: Record<BulkAction, string> = {
  assign: "Assign a reviewer",
  requestChanges: "Request changes",
  reject: "Reject, citing a policy category",
};

/** How many names a list shows before "and N more". */
const LISTED = 20;

function ItemList({ items, label }: { items: { id: string; productName: string; reason?: string }[]; label: string }) {
  if (items.length === 0) return null;
  return (
    <ul aria-label={label} className="mt-1 list-disc space-y-0.5 pl-5">
      {items.slice(0, LISTED).map((item) => (
        <li key={item.id}>
          {item.productName}
          {item.reason ? <span className="text-slate-600"> — {item.reason}</span> : null}
        </li>
      ))}
      {items.length > LISTED ? <li className="list-none text-slate-600">and {items.length - LISTED} more</li> : null}
    </ul>
  );
}

/**
 * Bulk actions on the queue (admins): the checked rows or every result of the search, an action, a preview of what
 * will change and what is skipped, then a confirmation that applies exactly the previewed items (re-checked on the server).
 */
export function QueueBulkActions({
  total,
  isTotalExact,
  filter,
  reviewers,
  categories,
}: {
  total: number;
  /** False when the queue stopped counting (past 1,000 matches): `total` is then a lower bound. */
  isTotalExact: boolean;
  filter: Record<string, string>;
  reviewers: { id: string; name: string; email: string }[];
  categories: { slug: string; name: string }[];
}) {
  const [state, dispatch, isPending] = useActionState(bulkQueueAction, undefined);
  const [action, setAction] = useState<BulkAction>("assign");
  const errors = state && !state.ok ? state.fieldErrors : {};
  const fieldErrors = (name: string) => [...(errors[name] ?? []), ...(errors[`operation.${name}`] ?? [])];
  const targetErrors = [...(errors["target.ids"] ?? []), ...(errors["target.scope"] ?? []), ...(errors.target ?? [])];
  const step = state?.ok ? state.data : undefined;
  const plan = step?.step === "preview" ? step.plan : undefined;
  // The operation fields are read from the form as posted, so the confirmation runs what was previewed.
  const [previewed, setPreviewed] = useState<FormData | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>, mode: "preview" | "run") => {
    event.preventDefault();
    const data = mode === "preview" ? new FormData(event.currentTarget) : new FormData();
    if (mode === "preview") setPreviewed(data);
    else if (plan && previewed) {
      for (const key of ["action", "reviewerId", "message", "categorySlug"]) {
        const value = previewed.get(key);
        if (typeof value === "string") data.set(key, value);
      }
      data.set("scope", "selection");
      for (const item of plan.ready) data.append("ids", item.id);
    }
    data.set("step", mode);
    startTransition(() => dispatch(data));
  };

  return (
    <section aria-labelledby="bulk-heading" className="mb-4 rounded-md bg-slate-50 p-4 text-sm ring-1 ring-slate-200">
      <h2 id="bulk-heading" className="font-semibold text-slate-900">
        Bulk action
      </h2>
      <p className="mt-1 text-slate-600">Tick applications in the list below, or all the matching ones, then preview the change before confirming it.</p>
      <form id={BULK_FORM_ID} method="post" aria-label="Bulk action" onSubmit={(event) => submit(event, "preview")} className="mt-3 space-y-3" noValidate>
        {Object.entries(filter).map(([key, value]) => (
          <input key={key} type="hidden" name={`filter.${key}`} value={value} />
        ))}
        <label className="flex items-center gap-2">
          <input type="checkbox" name="scope" value="search" aria-describedby={targetErrors.length > 0 ? "bulk-target-error" : undefined} />
          Select all {isTotalExact ? total : `more than ${total.toLocaleString("en")}`} matching application{total === 1 && isTotalExact ? "" : "s"}
        </label>
        {targetErrors.length > 0 ? (
          <p id="bulk-target-error" className="text-red-700">
            {targetErrors.join(" ")}
          </p>
        ) : null}
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField label="Action" name="action" id="bulk-action" value={action} onChange={(event) => setAction(event.target.value as BulkAction)}>
            {(Object.keys(actionLabels) as BulkAction[]).map((value) => (
              <option key={value} value={value}>
                {actionLabels[value]}
              </option>
            ))}
          </SelectField>
          {action === "assign" ? (
            <SelectField label="Reviewer" name="reviewerId" id="bulk-reviewer" defaultValue="" errors={fieldErrors("reviewerId")}>
              <option value="">Choose a reviewer</option>
              {reviewers.map((reviewer) => (
                <option key={reviewer.id} value={reviewer.id}>
                  {reviewer.name} ({reviewer.email})
                </option>
              ))}
            </SelectField>
          ) : null}
          {action === "reject" ? (
            <SelectField label="Policy category cited" name="categorySlug" id="bulk-category" defaultValue="" errors={fieldErrors("categorySlug")}>
              <option value="">Choose a category</option>
              {categories.map((category) => (
                <option key={category.slug} value={category.slug}>
                  {category.name}
                </option>
              ))}
            </SelectField>
          ) : null}
        </div>
        {action !== "assign" ? (
          <TextareaField
            key={action}
            label={action === "reject" ? "Reason for the rejection (sent to each applicant)" : "What the applicants must change (sent to each)"}
            name="message"
            id="bulk-message"
            rows={3}
            errors={fieldErrors("message")}
          />
        ) : null}
        <Button type="submit" variant="secondary" disabled={isPending}>
          Preview
        </Button>
      </form>
      {state && !state.ok ? (
        <div className="mt-3">
          <FormMessage message={state.message} />
        </div>
      ) : null}
      {plan ? (
        <form method="post" aria-label="Confirm the bulk action" onSubmit={(event) => submit(event, "run")} className="mt-4 space-y-2 rounded-md bg-white p-4 ring-1 ring-slate-200" data-testid="bulk-preview">
          <h3 className="font-semibold text-slate-900">Preview</h3>
          <p>{plan.summary}</p>
          <ItemList items={plan.ready} label="Will change" />
          {plan.skipped.length > 0 ? (
            <>
              <p className="font-medium">
                {plan.skipped.length} will be skipped:
              </p>
              <ItemList items={plan.skipped} label="Will be skipped" />
            </>
          ) : null}
          {plan.ready.length > 0 ? (
            <Button type="submit" variant={plan.operation.action === "reject" ? "danger" : "primary"} disabled={isPending}>
              Confirm: {actionLabels[plan.operation.action].split(",")[0]?.toLowerCase()} ({plan.ready.length})
            </Button>
          ) : (
            <p className="text-slate-700">Nothing to change: every selected application would be skipped.</p>
          )}
        </form>
      ) : null}
      {step?.step === "done" ? (
        <div className="mt-4 space-y-2" data-testid="bulk-result">
          <FormMessage message={state?.message} tone="success" />
          {step.skipped.length > 0 ? <ItemList items={step.skipped} label="Skipped" /> : null}
        </div>
      ) : null}
    </section>
  );
}
