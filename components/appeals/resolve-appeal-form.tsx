"use client";

import { useActionState, useState } from "react";
import { resolveAppealAction } from "@/lib/actions/appeals";
import { appealResultLabels, appealResults, type AppealResult } from "@/lib/appeals/schema";
import { decisionOutcomeTable } from "@/lib/decisions/outcomes";
import { scopeErrorsOf } from "@/lib/keys/scope-form";
import type { KeyScopes } from "@/lib/keys/scopes";
import { ScopeEditor } from "@/components/keys/scope-editor";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { TextareaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

const approvals = ["APPROVED", "APPROVED_WITH_CONDITIONS"] as const;

const confirmations: Record<AppealResult, string> = {
  UPHELD: "The decision stands and the appeal is closed. The applicant is notified with your reasons.",
  REOPEN: "The decision is set aside and the application goes back to review. The applicant is notified.",
  APPROVE: "The application is approved now and a key grant is issued with these scopes. The applicant is notified.",
};

/** An appeal's two outcomes: uphold (reasons required) or grant (reopen for review, or approve with scopes). */
export function ResolveAppealForm({ appealId, proposedScopes, keyKind }: { appealId: string; proposedScopes: KeyScopes; keyKind: "DEVELOPMENT" | "LIVE" }) {
  const [state, action, isPending] = useActionState(resolveAppealAction, undefined);
  const [result, setResult] = useState<AppealResult>("UPHELD");
  const [approval, setApproval] = useState<(typeof approvals)[number]>("APPROVED");
  const errors = state && !state.ok ? state.fieldErrors : {};
  const formId = `appeal-${appealId}`;
  const onSubmit = submitKeepingValues(action);
  if (state?.ok) return <FormMessage message={state.message} tone="success" />;
  return (
    <form method="post" id={formId} onSubmit={onSubmit} className="space-y-4 text-sm" aria-label="Decide the appeal" noValidate>
      <input type="hidden" name="appealId" value={appealId} />
      <fieldset>
        <legend className="font-medium">Outcome</legend>
        <div className="mt-1 flex flex-col gap-2">
          {appealResults.map((value) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="result" value={value} checked={result === value} onChange={() => setResult(value)} />
              {appealResultLabels[value]}
            </label>
          ))}
        </div>
      </fieldset>
      <TextareaField
        label={result === "UPHELD" ? "Reasons the decision stands (required, shown to the applicant)" : "Reasons (optional, shown to the applicant)"}
        name="reasons"
        rows={3}
        errors={errors.reasons}
      />
      {result === "APPROVE" ? (
        <fieldset className="space-y-3 rounded-md p-4 ring-1 ring-slate-200">
          <legend className="px-1 font-medium">Approval</legend>
          <div className="flex flex-wrap gap-4">
            {approvals.map((value) => (
              <label key={value} className="flex items-center gap-2">
                <input type="radio" name="approvalOutcome" value={value} checked={approval === value} onChange={() => setApproval(value)} />
                {decisionOutcomeTable[value].label}
              </label>
            ))}
          </div>
          <TextareaField label="Message to the applicant (optional)" name="message" rows={2} errors={errors["approval.message"]} />
          {decisionOutcomeTable[approval].hasConditions ? (
            <TextareaField label="Conditions the applicant must meet (shown to them)" name="conditions" rows={3} errors={errors["approval.conditions"]} />
          ) : null}
          <p className="text-slate-600">Scopes of the {keyKind === "LIVE" ? "live" : "development"} key grant, proposed from the category&apos;s defaults and the reviewers&apos; suggestions.</p>
          <ScopeEditor variant="grant" idPrefix="appeal" defaults={proposedScopes} errors={scopeErrorsOf(errors, "approval.scopes.")} />
        </fieldset>
      ) : null}
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
      <ConfirmButton
        label="Record outcome"
        title={`${appealResultLabels[result]}?`}
        confirmLabel={`Confirm: ${result === "UPHELD" ? "uphold" : "grant"}`}
        variant="primary"
        formId={formId}
        disabled={isPending}
      >
        {confirmations[result]} This cannot be undone.
      </ConfirmButton>
    </form>
  );
}
