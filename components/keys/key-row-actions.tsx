"use client";

import { useActionState, useState } from "react";
import { renameKeyAction, revokeKeyAction, rotateKeyAction } from "@/lib/actions/keys";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { SecretReveal } from "./secret-reveal";

const graceChoices = [0, 1, 4, 12, 24] as const;

/** Rename, rotate (with a grace period) and revoke one key; rotation and revocation ask first. */
export function KeyRowActions({ keyId, name, canRotate, canRevoke }: { keyId: string; name: string; canRotate: boolean; canRevoke: boolean }) {
  const [isEditing, setIsEditing] = useState(false);
  const [renameState, renameAction, isRenaming] = useActionState(async (previous: Awaited<ReturnType<typeof renameKeyAction>> | undefined, formData: FormData) => {
    const result = await renameKeyAction(previous, formData);
    if (result.ok) setIsEditing(false);
    return result;
  }, undefined);
  const [rotateState, rotateAction, isRotating] = useActionState(rotateKeyAction, undefined);
  const [revokeState, revokeAction, isRevoking] = useActionState(revokeKeyAction, undefined);
  const rotateFormId = `rotate-${keyId}`;
  const revokeFormId = `revoke-${keyId}`;
  const renameErrors = renameState && !renameState.ok ? (renameState.fieldErrors.name ?? [renameState.message]) : undefined;
  const messages = [rotateState, revokeState].filter((state) => state !== undefined);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {isEditing ? (
          <form action={renameAction} onSubmit={submitKeepingValues(renameAction)} className="flex items-center gap-2">
            <input type="hidden" name="keyId" value={keyId} />
            <label htmlFor={`rename-${keyId}`} className="sr-only">
              New name for {name}
            </label>
            <input
              id={`rename-${keyId}`}
              name="name"
              defaultValue={name}
              maxLength={80}
              aria-invalid={renameErrors ? true : undefined}
              aria-describedby={renameErrors ? `rename-${keyId}-error` : undefined}
              className="w-48 rounded-md border-0 px-2 py-1.5 text-sm ring-1 ring-inset ring-slate-300"
            />
            <Button type="submit" variant="secondary" disabled={isRenaming}>
              Save name
            </Button>
            <Button variant="secondary" onClick={() => setIsEditing(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          <Button variant="secondary" onClick={() => setIsEditing(true)} aria-label={`Rename ${name}`}>
            Rename
          </Button>
        )}
        {canRotate ? (
          <>
            <form id={rotateFormId} action={rotateAction}>
              <input type="hidden" name="keyId" value={keyId} />
            </form>
            <ConfirmButton label="Rotate" title={`Rotate “${name}”?`} confirmLabel="Rotate key" variant="primary" formId={rotateFormId} disabled={isRotating}>
              <p>A new secret replaces this key. The old secret keeps working for the grace period you choose, then is refused.</p>
              <label htmlFor={`grace-${keyId}`} className="mt-3 block font-medium text-slate-800">
                Grace period for the old secret
              </label>
              <select id={`grace-${keyId}`} name="graceHours" form={rotateFormId} defaultValue="1" className="mt-1 rounded-md border-0 py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300">
                {graceChoices.map((hours) => (
                  <option key={hours} value={hours}>
                    {hours === 0 ? "None: stop it now" : `${hours} hour${hours === 1 ? "" : "s"}`}
                  </option>
                ))}
              </select>
            </ConfirmButton>
          </>
        ) : null}
        {canRevoke ? (
          <>
            <form id={revokeFormId} action={revokeAction}>
              <input type="hidden" name="keyId" value={keyId} />
            </form>
            <ConfirmButton label="Revoke" title={`Revoke “${name}”?`} confirmLabel="Revoke key" formId={revokeFormId} disabled={isRevoking}>
              The key is refused on its very next request. This cannot be undone.
            </ConfirmButton>
          </>
        ) : null}
      </div>
      {renameErrors && isEditing ? (
        <p id={`rename-${keyId}-error`} className="text-sm text-red-700">
          {renameErrors.join(" ")}
        </p>
      ) : null}
      {renameState?.ok ? <FormMessage tone="success" message={renameState.message} /> : null}
      {messages.map((state, index) => (
        <FormMessage key={index} tone={state.ok ? "success" : "error"} message={state.message} />
      ))}
      {rotateState?.ok && rotateState.data ? <SecretReveal name={rotateState.data.name} secret={rotateState.data.secret} /> : null}
    </div>
  );
}
