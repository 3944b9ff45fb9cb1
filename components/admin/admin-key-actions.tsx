"use client";

import { useActionState } from "react";
import { adminRevokeKeyAction, setKeySuspensionAction } from "@/lib/actions/admin-keys";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { ReasonField } from "./reason-field";

/** Revoke (with a reason the owners see) and suspend or reinstate one key. */
export function AdminKeyActions({ keyId, label, isRevoked, isSuspended }: { keyId: string; label: string; isRevoked: boolean; isSuspended: boolean }) {
  const [revokeState, revokeAction, isRevoking] = useActionState(adminRevokeKeyAction, undefined);
  const [suspendState, suspendAction, isSuspending] = useActionState(setKeySuspensionAction, undefined);
  const revokeFormId = `admin-revoke-${keyId}`;
  const suspendFormId = `admin-suspend-${keyId}`;
  const state = revokeState ?? suspendState;
  if (isRevoked) return <span className="text-sm text-slate-500">No actions</span>;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <form id={suspendFormId} action={suspendAction} onSubmit={submitKeepingValues(suspendAction)}>
          <input type="hidden" name="keyId" value={keyId} />
          <input type="hidden" name="action" value={isSuspended ? "reinstate" : "suspend"} />
        </form>
        {isSuspended ? (
          <Button type="submit" form={suspendFormId} variant="secondary" disabled={isSuspending} aria-label={`Reinstate ${label}`}>
            Reinstate
          </Button>
        ) : (
          <ConfirmButton label="Suspend" title={`Suspend ${label}?`} confirmLabel="Suspend key" formId={suspendFormId} disabled={isSuspending}>
            <p>The key is refused on its next request until you reinstate it.</p>
            <ReasonField formId={suspendFormId} label="Reason (optional, shown to the key's owners)" />
          </ConfirmButton>
        )}
        <form id={revokeFormId} action={revokeAction} onSubmit={submitKeepingValues(revokeAction)}>
          <input type="hidden" name="keyId" value={keyId} />
        </form>
        <ConfirmButton label="Revoke" title={`Revoke ${label}?`} confirmLabel="Revoke key" formId={revokeFormId} disabled={isRevoking}>
          <p>The key is refused on its very next request. This cannot be undone.</p>
          <ReasonField formId={revokeFormId} label="Reason (shown to the key's owners)" />
        </ConfirmButton>
      </div>
      {state ? <FormMessage tone={state.ok ? "success" : "error"} message={state.message} /> : null}
    </div>
  );
}
