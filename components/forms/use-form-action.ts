"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionResult } from "@/lib/action-result";

/** useActionState without React's automatic form reset, so a rejected form keeps what the user typed. */
export function useFormAction<T = undefined>(action: (previous: ActionResult<T> | undefined, formData: FormData) => Promise<ActionResult<T>>) {
  const [state, dispatch, isPending] = useActionState(action, undefined);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter instanceof HTMLButtonElement ? submitter : undefined);
    startTransition(() => dispatch(formData));
  };
  return { state, onSubmit, isPending, fieldErrors: state && !state.ok ? state.fieldErrors : {} };
}
