"use client";

import { useActionState } from "react";
import { assignReviewerAction, claimApplicationAction, declareConflictAction, postReviewMessageAction } from "@/lib/actions/reviews";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { SelectField } from "@/components/ui/field";
import { submitKeepingValues, useClearedOnSuccess } from "@/components/ui/submit-keeping-values";

export function ClaimButton({ applicationId }: { applicationId: string }) {
  const [state, action, isPending] = useActionState(claimApplicationAction, undefined);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="applicationId" value={applicationId} />
      <Button type="submit" disabled={isPending}>
        Claim for review
      </Button>
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
    </form>
  );
}

export function ConflictForm({ applicationId }: { applicationId: string }) {
  const [state, action, isPending] = useActionState(declareConflictAction, undefined);
  const error = state && !state.ok ? state.fieldErrors.reason : undefined;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer font-medium text-slate-700">Declare a conflict of interest</summary>
      <form action={action} onSubmit={submitKeepingValues(action)} className="mt-2 space-y-2">
        <input type="hidden" name="applicationId" value={applicationId} />
        <label htmlFor="conflict-reason" className="block font-medium">
          Reason
        </label>
        <textarea
          id="conflict-reason"
          name="reason"
          rows={2}
          aria-describedby={error ? "conflict-reason-error" : undefined}
          aria-invalid={error ? true : undefined}
          className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300"
          placeholder="For example: I advised this organisation last year."
        />
        {error ? (
          <p id="conflict-reason-error" className="text-red-700">
            {error.join(" ")}
          </p>
        ) : null}
        <p className="text-slate-500">The application leaves your queue for good and your claim, if any, is released.</p>
        <Button type="submit" variant="secondary" disabled={isPending}>
          Declare conflict
        </Button>
        {state && !state.ok && !error ? <FormMessage message={state.message} /> : null}
      </form>
    </details>
  );
}

export function AssignForm({
  applicationId,
  reviewers,
  assignees,
}: {
  applicationId: string;
  reviewers: { id: string; name: string; email: string; role: string }[];
  assignees: { reviewerId: string; email: string }[];
}) {
  const [state, action, isPending] = useActionState(assignReviewerAction, undefined);
  const available = reviewers.filter((reviewer) => !assignees.some((row) => row.reviewerId === reviewer.id));
  return (
    <form action={action} className="space-y-2 text-sm">
      <input type="hidden" name="applicationId" value={applicationId} />
      <SelectField id="assign-reviewer" label="Reviewer" name="reviewerId">
        {available.map((reviewer) => (
          <option key={reviewer.id} value={reviewer.id}>
            {reviewer.name} ({reviewer.email}, {reviewer.role.toLowerCase()})
          </option>
        ))}
      </SelectField>
      {assignees.length > 0 ? (
        <SelectField id="assign-replace" label="In place of" name="replaceReviewerId">
          <option value="">Nobody (add a reviewer)</option>
          {assignees.map((row) => (
            <option key={row.reviewerId} value={row.reviewerId}>
              {row.email}
            </option>
          ))}
        </SelectField>
      ) : null}
      <Button type="submit" variant="secondary" disabled={isPending || available.length === 0}>
        Assign
      </Button>
      {available.length === 0 ? <p className="text-slate-500">No other reviewer without a conflict is available.</p> : null}
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
    </form>
  );
}

export function MessageForm({ applicationId }: { applicationId: string }) {
  const [state, action, isPending] = useActionState(postReviewMessageAction, undefined);
  const error = state && !state.ok ? state.fieldErrors.body : undefined;
  const formRef = useClearedOnSuccess(state);
  return (
    <form ref={formRef} action={action} onSubmit={submitKeepingValues(action)} className="space-y-2 text-sm">
      <input type="hidden" name="applicationId" value={applicationId} />
      <label htmlFor="message-body" className="block font-medium">
        Message
      </label>
      <textarea
        id="message-body"
        name="body"
        rows={3}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "message-body-error" : undefined}
        className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300"
      />
      {error ? (
        <p id="message-body-error" className="text-red-700">
          {error.join(" ")}
        </p>
      ) : null}
      <label className="flex items-center gap-2">
        <input type="checkbox" name="isInternal" /> Internal note (reviewers and admins only; the applicant never sees it)
      </label>
      <Button type="submit" variant="secondary" disabled={isPending}>
        Post
      </Button>
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
    </form>
  );
}
