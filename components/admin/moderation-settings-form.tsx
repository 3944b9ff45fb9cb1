"use client";

import { useActionState } from "react";
import { updateModerationSettingsAction } from "@/lib/actions/moderation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import type { ModerationSettings } from "@/lib/moderation/settings-schema";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

export function ModerationSettingsForm({ settings }: { settings: ModerationSettings }) {
  const [state, action, isPending] = useActionState(updateModerationSettingsAction, undefined);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const onSubmit = submitKeepingValues(action);
  return (
    <form method="post" onSubmit={onSubmit} className="max-w-lg space-y-4" noValidate aria-label="Moderation settings">
      <label className="flex items-start gap-2 text-sm text-slate-800">
        <input type="checkbox" name="autoSuspendEnabled" defaultChecked={settings.autoSuspendEnabled} className="mt-1" aria-describedby="auto-suspend-hint" />
        <span>
          <span className="font-medium">Suspend a key automatically after repeated flags</span>
          <span id="auto-suspend-hint" className="block text-xs text-slate-600">
            Off by default. The key&apos;s organisation and every admin are told; an admin reinstates it on the API keys page.
          </span>
        </span>
      </label>
      <Field label="Flags (N)" name="autoSuspendFlags" type="number" min={1} max={1000} defaultValue={settings.autoSuspendFlags} errors={errors.autoSuspendFlags} hint="A key with at least this many flagged requests…" />
      <Field label="Within minutes (M)" name="autoSuspendMinutes" type="number" min={1} max={10080} defaultValue={settings.autoSuspendMinutes} errors={errors.autoSuspendMinutes} hint="…in this many minutes is suspended." />
      <Field
        label="Keep flagged excerpts for (days)"
        name="excerptRetentionDays"
        type="number"
        min={1}
        max={3650}
        defaultValue={settings.excerptRetentionDays}
        errors={errors.excerptRetentionDays}
        hint="Older excerpts are emptied (checked hourly); the flag, its categories and scores are kept."
      />
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
      <Button type="submit" disabled={isPending}>
        Save moderation settings
      </Button>
    </form>
  );
}
