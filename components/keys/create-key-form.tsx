"use client";

import { useActionState } from "react";
import { createKeyAction } from "@/lib/actions/keys";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues, useClearedOnSuccess } from "@/components/ui/submit-keeping-values";
import { SecretReveal } from "./secret-reveal";

export function CreateKeyForm({ grantId, disabledReason }: { grantId: string; disabledReason: string | null }) {
  const [state, action, isPending] = useActionState(createKeyAction, undefined);
  const inputId = `new-key-name-${grantId}`;
  const errorId = `${inputId}-error`;
  const nameErrors = state && !state.ok ? state.fieldErrors.name : undefined;
  const formRef = useClearedOnSuccess(state);
  return (
    <div className="space-y-3">
      <form ref={formRef} action={action} onSubmit={submitKeepingValues(action)} className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="grantId" value={grantId} />
        <div className="space-y-1">
          <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
            New key name
          </label>
          <input
            id={inputId}
            name="name"
            maxLength={80}
            placeholder="e.g. Staging server"
            disabled={disabledReason !== null}
            aria-invalid={nameErrors ? true : undefined}
            aria-describedby={nameErrors ? errorId : undefined}
            className="w-64 rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 aria-invalid:ring-red-500"
          />
        </div>
        <Button type="submit" disabled={isPending || disabledReason !== null}>
          Create key
        </Button>
      </form>
      {disabledReason ? <p className="text-sm text-slate-600">{disabledReason}</p> : null}
      {nameErrors ? (
        <p id={errorId} className="text-sm text-red-700">
          {nameErrors.join(" ")}
        </p>
      ) : null}
      {state && !state.ok && !nameErrors ? <FormMessage message={state.message} /> : null}
      {state?.ok && state.data ? <SecretReveal name={state.data.name} secret={state.data.secret} /> : null}
    </div>
  );
}
