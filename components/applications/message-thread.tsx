"use client";

import { useActionState } from "react";
import { postApplicantMessageAction } from "@/lib/actions/applications";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues, useClearedOnSuccess } from "@/components/ui/submit-keeping-values";

export interface ThreadMessage {
  id: string;
  body: string;
  createdAt: string;
  author: { name: string; role: string };
}

const time = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The applicant's side of the thread with reviewers (internal notes never reach it). */
export function MessageThread({ applicationId, messages, canPost }: { applicationId: string; messages: ThreadMessage[]; canPost: boolean }) {
  const [state, action, isPending] = useActionState(postApplicantMessageAction, undefined);
  const formRef = useClearedOnSuccess(state);
  return (
    <div className="space-y-4">
      {messages.length === 0 ? (
        <p className="text-sm text-slate-600">No messages yet. Reviewers write here when they have questions; you can write to them too.</p>
      ) : (
        <ul className="space-y-3" aria-label="Messages">
          {messages.map((message) => (
            <li key={message.id} className={`rounded-md p-3 text-sm ring-1 ${message.author.role === "APPLICANT" ? "bg-white ring-slate-200" : "bg-indigo-50 ring-indigo-100"}`}>
              <p className="text-xs text-slate-500">
                {message.author.name}
                {message.author.role === "APPLICANT" ? "" : ` (${message.author.role.toLowerCase()})`} · {time.format(new Date(message.createdAt))} UTC
              </p>
              <p className="mt-1 whitespace-pre-wrap text-slate-800">{message.body}</p>
            </li>
          ))}
        </ul>
      )}
      {canPost ? (
        <form ref={formRef} action={action} onSubmit={submitKeepingValues(action)} className="space-y-2">
          <input type="hidden" name="applicationId" value={applicationId} />
          <label htmlFor="message-body" className="block text-sm font-medium text-slate-800">
            Message to the reviewers
          </label>
          <textarea
            id="message-body"
            name="body"
            rows={3}
            aria-invalid={state && !state.ok && state.fieldErrors.body ? true : undefined}
            aria-describedby={state && !state.ok && state.fieldErrors.body ? "message-body-error" : undefined}
            className="block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600"
          />
          {state && !state.ok && state.fieldErrors.body ? (
            <p id="message-body-error" className="text-sm text-red-700">
              {state.fieldErrors.body.join(" ")}
            </p>
          ) : null}
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={isPending}>
              {isPending ? "Sending…" : "Send message"}
            </Button>
            {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
          </div>
        </form>
      ) : null}
    </div>
  );
}
