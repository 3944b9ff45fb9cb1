"use client";

import { useActionState } from "react";
import { changePasswordAction } from "@/lib/actions/account";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { PASSWORD_MIN } from "@/lib/users/schema";
import { submitKeepingValues, useClearedOnSuccess } from "@/components/ui/submit-keeping-values";

export function ChangePasswordForm() {
  const [state, formAction, isPending] = useActionState(changePasswordAction, undefined);
  const fieldErrors = state && !state.ok ? state.fieldErrors : {};
  const formRef = useClearedOnSuccess(state);
  return (
    <form ref={formRef} action={formAction} onSubmit={submitKeepingValues(formAction)} className="space-y-4">
      <FormMessage message={state?.message} tone={state?.ok ? "success" : "error"} />
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required errors={fieldErrors.currentPassword} />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={`At least ${PASSWORD_MIN} characters.`}
        errors={fieldErrors.newPassword}
      />
      <Field label="Repeat new password" name="confirmPassword" type="password" autoComplete="new-password" required errors={fieldErrors.confirmPassword} />
      <Button type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Change password"}
      </Button>
    </form>
  );
}
