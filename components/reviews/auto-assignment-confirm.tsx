"use client";

import { useActionState } from "react";
import { confirmAutoAssignmentAction } from "@/lib/actions/auto-assignment";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

/** Applies the previewed plan: the scope and the plan's digest go back, and the server re-plans and compares. */
export function AutoAssignmentConfirm({
  scope,
  digest,
  assignments,
  applications,
}: {
  scope: { stage?: string; category?: string; reviewer: string[] };
  digest: string;
  assignments: number;
  applications: number;
}) {
  const [state, action, isPending] = useActionState(confirmAutoAssignmentAction, undefined);
  const onSubmit = submitKeepingValues(action);
  return (
    <form id="auto-assignment-confirm" method="post" onSubmit={onSubmit} className="space-y-3">
      <input type="hidden" name="digest" value={digest} />
      {scope.stage ? <input type="hidden" name="stage" value={scope.stage} /> : null}
      {scope.category ? <input type="hidden" name="category" value={scope.category} /> : null}
      {scope.reviewer.map((id) => (
        <input key={id} type="hidden" name="reviewer" value={id} />
      ))}
      <FormMessage message={state && !state.ok ? state.message : undefined} />
      <ConfirmButton label={isPending ? "Assigning…" : "Confirm"} title="Apply this assignment?" confirmLabel="Assign and notify" variant="primary" formId="auto-assignment-confirm" disabled={isPending}>
        {assignments} assignment{assignments === 1 ? "" : "s"} to {applications} application{applications === 1 ? "" : "s"}, exactly as previewed. Each reviewer is notified in the app and by email.
      </ConfirmButton>
    </form>
  );
}
