"use client";

import { startTransition, useEffect, useRef, type FormEvent } from "react";

/**
 * An onSubmit that sends the form's data (with the button that submitted it) to `action` in a transition rather than
 * as a form action: React resets a form after its action, which would erase what the user typed when it is refused.
 * Keep `action={action}` on the form as well: without JavaScript it still posts there, and with it React sees the
 * submit already handled (default prevented, a transition started) and neither runs the action again nor resets.
 */
export function submitKeepingValues(action: (data: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    startTransition(() => action(data));
  };
}

/**
 * The ref of a form sent with submitKeepingValues that is cleared once its action succeeds (a message sent, a key
 * created), so it is ready for the next one: only a refused form keeps what was typed.
 */
export function useClearedOnSuccess(state: { ok: boolean } | undefined) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  return formRef;
}
