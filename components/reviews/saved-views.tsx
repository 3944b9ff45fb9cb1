"use client";

import Link from "next/link";
import { startTransition, useActionState, type FormEvent } from "react";
import { deleteViewAction, renameViewAction, saveViewAction } from "@/lib/actions/queue";
import type { ActionResult } from "@/lib/action-result";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FilterInput } from "@/components/ui/filters";
import { FormMessage } from "@/components/ui/form-message";

interface SavedView {
  id: string;
  name: string;
  query: string;
}

/** Submits without React's automatic form reset, so what was typed stays when the server refuses it. */
function useFormAction(action: (previous: ActionResult | undefined, formData: FormData) => Promise<ActionResult>) {
  const [state, dispatch, isPending] = useActionState(action, undefined);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  return { state, onSubmit, isPending, nameErrors: state && !state.ok ? state.fieldErrors.name : undefined };
}

function NameErrors({ id, errors }: { id: string; errors?: string[] }) {
  return errors && errors.length > 0 ? (
    <p id={id} className="text-sm text-red-700">
      {errors.join(" ")}
    </p>
  ) : null;
}

/** Saves the queue's current search and filters under a name. */
export function SaveViewForm({ filter }: { filter: Record<string, string> }) {
  const { state, onSubmit, isPending, nameErrors } = useFormAction(saveViewAction);
  return (
    <form method="post" aria-label="Save a view" onSubmit={onSubmit} className="flex flex-wrap items-end gap-3 text-sm" noValidate>
      {Object.entries(filter).map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <FilterInput
        id="view-name"
        label="Name for a saved view"
        name="name"
        maxLength={60}
        placeholder="e.g. Risky production"
        aria-invalid={nameErrors ? true : undefined}
        aria-describedby={nameErrors ? "view-name-error" : undefined}
      />
      <Button type="submit" variant="secondary" disabled={isPending}>
        Save view
      </Button>
      <div className="basis-full">
        <NameErrors id="view-name-error" errors={nameErrors} />
        {state && !(state.ok === false && nameErrors) ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
      </div>
    </form>
  );
}

function SavedViewRow({ view }: { view: SavedView }) {
  const rename = useFormAction(renameViewAction);
  const remove = useFormAction(deleteViewAction);
  const deleteFormId = `delete-view-${view.id}`;
  const inputId = `rename-view-${view.id}`;
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 py-2" data-testid="saved-view">
      <Link href={`/review?${view.query}`} className="font-medium text-indigo-700 hover:underline">
        {view.name}
      </Link>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-700">Rename</summary>
        <form method="post" aria-label={`Rename ${view.name}`} onSubmit={rename.onSubmit} className="mt-2 flex flex-wrap items-end gap-2" noValidate>
          <input type="hidden" name="viewId" value={view.id} />
          <FilterInput
            id={inputId}
            label="New name"
            name="name"
            defaultValue={view.name}
            maxLength={60}
            aria-invalid={rename.nameErrors ? true : undefined}
            aria-describedby={rename.nameErrors ? `${inputId}-error` : undefined}
          />
          <Button type="submit" variant="secondary" disabled={rename.isPending}>
            Save name
          </Button>
          <NameErrors id={`${inputId}-error`} errors={rename.nameErrors} />
          {rename.state && !rename.nameErrors ? <FormMessage message={rename.state.message} tone={rename.state.ok ? "success" : "error"} /> : null}
        </form>
      </details>
      <form method="post" id={deleteFormId} onSubmit={remove.onSubmit}>
        <input type="hidden" name="viewId" value={view.id} />
        <ConfirmButton label={`Delete ${view.name}`} title={`Delete the view “${view.name}”?`} confirmLabel="Delete view" formId={deleteFormId} disabled={remove.isPending}>
          Only the saved search is deleted; no application changes.
        </ConfirmButton>
      </form>
      {remove.state && !remove.state.ok ? <FormMessage message={remove.state.message} /> : null}
    </li>
  );
}

/** The caller's saved views: links that re-run them, with rename and delete. */
export function SavedViewList({ views }: { views: SavedView[] }) {
  if (views.length === 0) return <p className="text-sm text-slate-600">No saved views yet: filter the queue, then save it under a name.</p>;
  return (
    <ul aria-label="Saved views" className="divide-y divide-slate-100">
      {views.map((view) => (
        <SavedViewRow key={view.id} view={view} />
      ))}
    </ul>
  );
}
