"use client";

import { useActionState, useState } from "react";
import { decideApplicationAction } from "@/lib/actions/decisions";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import { ScopeEditor } from "@/components/keys/scope-editor";
import { scopeErrorsOf } from "@/lib/keys/scope-form";
import { decisionOutcomeTable, decisionOutcomes, type DecisionOutcome } from "@/lib/decisions/outcomes";
import type { KeyScopes } from "@/lib/reviews/schema";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

const inputClass = "block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300 aria-invalid:ring-red-500";

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  return errors && errors.length > 0 ? (
    <p id={id} className="text-sm text-red-700">
      {errors.join(" ")}
    </p>
  ) : null;
}

/** The admin's decision: approve (choosing the key's scopes), approve with conditions, request changes, or reject. */
export function DecisionForm({ applicationId, proposedScopes, keyKind }: { applicationId: string; proposedScopes: KeyScopes; keyKind: "DEVELOPMENT" | "LIVE" }) {
  const [state, action, isPending] = useActionState(decideApplicationAction, undefined);
  const [outcome, setOutcome] = useState<DecisionOutcome>("APPROVED");
  const errors = state && !state.ok ? state.fieldErrors : {};
  const row = decisionOutcomeTable[outcome];
  const isApproval = row.issuesGrant;
  const formId = `decision-${applicationId}`;
  const onSubmit = submitKeepingValues(action);
  return (
    <form method="post" id={formId} onSubmit={onSubmit} className="space-y-4 text-sm" aria-label="Decision" noValidate>
      <input type="hidden" name="applicationId" value={applicationId} />
      <fieldset>
        <legend className="font-medium">Decision</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {decisionOutcomes.map((value) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="outcome" value={value} checked={outcome === value} onChange={() => setOutcome(value)} />
              {decisionOutcomeTable[value].label}
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor="decision-message" className="block font-medium">
          {decisionOutcomeTable[outcome].messageLabel}
        </label>
        <textarea
          id="decision-message"
          name="message"
          rows={3}
          aria-invalid={errors.message ? true : undefined}
          aria-describedby={errors.message ? "decision-message-error" : undefined}
          className={inputClass}
        />
        <Errors id="decision-message-error" errors={errors.message} />
      </div>
      {row.hasConditions ? (
        <div>
          <label htmlFor="decision-conditions" className="block font-medium">
            Conditions the applicant must meet (shown to them)
          </label>
          <textarea
            id="decision-conditions"
            name="conditions"
            rows={3}
            aria-invalid={errors.conditions ? true : undefined}
            aria-describedby={errors.conditions ? "decision-conditions-error" : undefined}
            className={inputClass}
          />
          <Errors id="decision-conditions-error" errors={errors.conditions} />
        </div>
      ) : null}
      {isApproval ? (
        <fieldset className="space-y-3 rounded-md p-4 ring-1 ring-slate-200">
          <legend className="px-1 font-medium">Scopes of the {keyKind === "LIVE" ? "live" : "development"} key grant</legend>
          <p className="text-slate-600">Proposed from the category&apos;s defaults, tightened by the reviewers&apos; suggestions. You may grant less.</p>
          <ScopeEditor variant="grant" idPrefix="decision" defaults={proposedScopes} errors={scopeErrorsOf(errors, "scopes.")} />
        </fieldset>
      ) : null}
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
      <ConfirmButton
        label="Record decision"
        title={`${row.label}?`}
        confirmLabel={`Confirm: ${row.label.toLowerCase()}`}
        variant={row.tone === "red" ? "danger" : "primary"}
        formId={formId}
        disabled={isPending}
      >
        The applicant is notified at once{isApproval ? ` and a ${keyKind === "LIVE" ? "live" : "development"} key grant is issued with these scopes` : ""}. A decision cannot be undone.
      </ConfirmButton>
    </form>
  );
}
