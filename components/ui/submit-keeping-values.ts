"use client";

import { startTransition, type FormEvent } from "react";

/**
 * An onSubmit that sends the form's data (with the button that submitted it) to `action` in a transition rather than
 * as a form action: React resets a form after its action, which would erase what the user typed when it is refused.
 */
export function submitKeepingValues(action: (data: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    startTransition(() => action(data));
  };
}
