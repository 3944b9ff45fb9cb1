"use client";

import { useActionState } from "react";
import { setOrganizationAccessAction } from "@/lib/actions/admin-keys";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { ReasonField } from "./reason-field";

export function OrganizationAccessActions({ organizationId, name, isSuspended }: { organizationId: string; name: string; isSuspended: boolean }) {
  const [state, action, isPending] = useActionState(setOrganizationAccessAction, undefined);
  const formId = `org-access-${organizationId}`;
  return (
    <div className="space-y-2">
      <form id={formId} action={action} onSubmit={submitKeepingValues(action)}>
        <input type="hidden" name="organizationId" value={organizationId} />
        <input type="hidden" name="action" value={isSuspended ? "reinstate" : "suspend"} />
      </form>
      {isSuspended ? (
        <Button type="submit" form={formId} variant="secondary" disabled={isPending} aria-label={`Reinstate API access of ${name}`}>
          Reinstate API access
        </Button>
      ) : (
        <ConfirmButton label="Suspend API access" title={`Suspend API access of ${name}?`} confirmLabel="Suspend access" formId={formId} disabled={isPending}>
          <p>Every key of {name} is refused on its next request until you reinstate access. Keys are kept.</p>
          <ReasonField formId={formId} label="Reason (optional, shown to the organisation's members)" />
        </ConfirmButton>
      )}
      {state ? <FormMessage tone={state.ok ? "success" : "error"} message={state.message} /> : null}
    </div>
  );
}
