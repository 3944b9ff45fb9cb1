"use client";

import { useActionState } from "react";
import { requestProductionReviewAction, withdrawApplicationAction } from "@/lib/actions/applications";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";

/** Withdraw, after a confirmation: a withdrawn application cannot be resubmitted. */
export function WithdrawButton({ applicationId, productName }: { applicationId: string; productName: string }) {
  const [state, action, isPending] = useActionState(withdrawApplicationAction, undefined);
  const formId = `withdraw-${applicationId}`;
  return (
    <div className="space-y-2">
      {/* Submitted by the confirmation dialog (form={formId}); hidden, so it takes no room in the layout. */}
      <form id={formId} action={action} hidden>
        <input type="hidden" name="applicationId" value={applicationId} />
      </form>
      <ConfirmButton label="Withdraw" title={`Withdraw “${productName || "this application"}”?`} confirmLabel="Withdraw application" formId={formId} disabled={isPending}>
        Reviewers stop working on it. A withdrawn application cannot be edited or resubmitted; you would start a new one.
      </ConfirmButton>
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
    </div>
  );
}

export function RequestProductionReviewButton({ applicationId, variant = "primary" }: { applicationId: string; variant?: ButtonVariant }) {
  const [state, action, isPending] = useActionState(requestProductionReviewAction, undefined);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="applicationId" value={applicationId} />
      <Button type="submit" variant={variant} disabled={isPending}>
        Request production review
      </Button>
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
    </form>
  );
}
