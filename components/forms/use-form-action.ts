"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import type { z } from "zod";
import type { ActionResult } from "@/lib/action-result";
import type { FieldErrors } from "@/lib/errors";
import { fieldErrorsOf, formDataToObject } from "@/lib/validation";

/**
 * useActionState without React's automatic form reset, so a rejected form keeps what the user typed. With `schema`
 * (the one the server action parses with), mistakes are shown before any request.
 */
export function useFormAction<T = undefined>(
  action: (previous: ActionResult<T> | undefined, formData: FormData) => Promise<ActionResult<T>>,
  schema?: z.ZodType,
) {
  const [state, dispatch, isPending] = useActionState(action, undefined);
  const [clientErrors, setClientErrors] = useState<{ message: string; fieldErrors: FieldErrors } | undefined>();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter instanceof HTMLButtonElement ? submitter : undefined);
    const parsed = schema?.safeParse(formDataToObject(formData));
    if (parsed && !parsed.success) {
      setClientErrors({ message: "Please correct the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error) });
      return;
    }
    setClientErrors(undefined);
    startTransition(() => dispatch(formData));
  };
  const shown: ActionResult<T> | undefined = clientErrors ? { ok: false, ...clientErrors } : state;
  return { state: shown, onSubmit, isPending, fieldErrors: shown && !shown.ok ? shown.fieldErrors : {} };
}
