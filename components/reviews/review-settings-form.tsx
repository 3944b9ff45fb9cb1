"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import { updateReviewSettingsAction } from "@/lib/actions/settings";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import type { ReviewSettings } from "@/lib/reviews/schema";

export function ReviewSettingsForm({ settings }: { settings: ReviewSettings }) {
  const [state, action, isPending] = useActionState(updateReviewSettingsAction, undefined);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  };
  return (
    <form method="post" onSubmit={onSubmit} className="max-w-lg space-y-4" noValidate>
      <Field
        label="Reviews required for an access request"
        name="requiredReviewsAccess"
        type="number"
        min={1}
        max={5}
        defaultValue={settings.requiredReviewsAccess}
        errors={errors.requiredReviewsAccess}
        hint="Admins cannot decide before this many reviews are submitted (1 to 5)."
      />
      <Field
        label="Reviews required for a production review"
        name="requiredReviewsProduction"
        type="number"
        min={1}
        max={5}
        defaultValue={settings.requiredReviewsProduction}
        errors={errors.requiredReviewsProduction}
        hint="Also the number of reviewers who may claim the item."
      />
      <Field
        label="High-risk threshold: average risk score at or above"
        name="highRiskThreshold"
        type="number"
        step="0.5"
        min={1}
        max={5}
        defaultValue={settings.highRiskThreshold}
        errors={errors.highRiskThreshold}
        hint="Risk is scored 1 (lowest) to 5 (highest risk)."
      />
      <Field
        label="Weak misuse plan: average misuse-plan score at or below"
        name="weakMisusePlanThreshold"
        type="number"
        step="0.5"
        min={1}
        max={5}
        defaultValue={settings.weakMisusePlanThreshold}
        errors={errors.weakMisusePlanThreshold}
        hint="Either condition flags the application as high risk for an admin."
      />
      <Field
        label="Decision target for an access request (hours)"
        name="decisionTargetHoursAccess"
        type="number"
        min={1}
        max={2160}
        defaultValue={settings.decisionTargetHoursAccess}
        errors={errors.decisionTargetHoursAccess}
        hint="From submission to decision. Older undecided items are overdue and their reviewers are reminded once."
      />
      <Field
        label="Decision target for a production review (hours)"
        name="decisionTargetHoursProduction"
        type="number"
        min={1}
        max={2160}
        defaultValue={settings.decisionTargetHoursProduction}
        errors={errors.decisionTargetHoursProduction}
        hint="Shown with the share decided within it on the calibration page."
      />
      <Field
        label="Load cap: open assignments per reviewer"
        name="maxOpenAssignmentsPerReviewer"
        type="number"
        min={1}
        max={500}
        defaultValue={settings.maxOpenAssignmentsPerReviewer}
        errors={errors.maxOpenAssignmentsPerReviewer}
        hint="Automatic assignment gives nobody more assigned, not yet reviewed applications than this (1 to 500)."
      />
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
      <Button type="submit" disabled={isPending}>
        Save settings
      </Button>
    </form>
  );
}
