"use client";

import { useActionState } from "react";
import { fileAppealAction } from "@/lib/actions/appeals";
import { appealGroundLabels, appealGrounds, STATEMENT_MAX, STATEMENT_MIN } from "@/lib/appeals/schema";
import { Button } from "@/components/ui/button";
import { ChoiceField, TextareaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

/** The applicant's appeal: the grounds, and a statement of why the decision should change. */
export function AppealForm({ applicationId, deadline }: { applicationId: string; deadline: string }) {
  const [state, action, isPending] = useActionState(fileAppealAction, undefined);
  const errors = state && !state.ok ? state.fieldErrors : {};
  if (state?.ok) return <FormMessage message={state.message} tone="success" />;
  return (
    <form method="post" action={action} onSubmit={submitKeepingValues(action)} className="space-y-4" aria-label="Appeal this decision">
      <input type="hidden" name="applicationId" value={applicationId} />
      <p className="text-sm text-slate-600">
        You may appeal once, until {deadline}. An administrator who did not make the decision reads your appeal and either lets the decision stand or grants it.
      </p>
      <ChoiceField legend="Grounds (choose all that apply)" name="grounds" multiple options={appealGrounds.map((value) => ({ value, label: appealGroundLabels[value] }))} errors={errors.grounds} />
      <TextareaField
        label="Your statement"
        name="statement"
        rows={5}
        maxLength={STATEMENT_MAX}
        hint={`Between ${STATEMENT_MIN} and ${STATEMENT_MAX.toLocaleString("en")} characters: what the decision got wrong, pointing to your answers.`}
        errors={errors.statement}
      />
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
      <Button type="submit" disabled={isPending}>
        Send appeal
      </Button>
    </form>
  );
}
