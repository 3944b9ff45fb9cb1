"use client";

import { useActionState } from "react";
import { updateReviewSettingsAction } from "@/lib/actions/settings";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import type { ReviewSettings } from "@/lib/reviews/schema";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

/** The settings in the order the form shows them (lib/reviews/schema.ts validates them on the server). */
const fields: { name: keyof ReviewSettings; label: string; min: number; max: number; step?: string; hint: string }[] = [
  { name: "requiredReviewsAccess", label: "Reviews required for an access request", min: 1, max: 5, hint: "Admins cannot decide before this many reviews are submitted (1 to 5)." },
  { name: "requiredReviewsProduction", label: "Reviews required for a production review", min: 1, max: 5, hint: "Also the number of reviewers who may claim the item." },
  { name: "highRiskThreshold", label: "High-risk threshold: average risk score at or above", min: 1, max: 5, step: "0.5", hint: "Risk is scored 1 (lowest) to 5 (highest risk)." },
  { name: "weakMisusePlanThreshold", label: "Weak misuse plan: average misuse-plan score at or below", min: 1, max: 5, step: "0.5", hint: "Either condition flags the application as high risk for an admin." },
  { name: "decisionTargetHoursAccess", label: "Decision target for an access request (hours)", min: 1, max: 2160, hint: "From submission to decision. Older undecided items are overdue and their reviewers are reminded once." },
  { name: "decisionTargetHoursProduction", label: "Decision target for a production review (hours)", min: 1, max: 2160, hint: "Shown with the share decided within it on the calibration page." },
  { name: "maxOpenAssignmentsPerReviewer", label: "Load cap: open assignments per reviewer", min: 1, max: 500, hint: "Automatic assignment gives nobody more assigned, not yet reviewed applications than this (1 to 500)." },
];

export function ReviewSettingsForm({ settings }: { settings: ReviewSettings }) {
  const [state, action, isPending] = useActionState(updateReviewSettingsAction, undefined);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const onSubmit = submitKeepingValues(action);
  return (
    <form method="post" onSubmit={onSubmit} className="max-w-lg space-y-4" noValidate>
      {fields.map(({ name, ...field }) => (
        <Field key={name} name={name} type="number" defaultValue={settings[name]} errors={errors[name]} {...field} />
      ))}
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
      <Button type="submit" disabled={isPending}>
        Save settings
      </Button>
    </form>
  );
}
