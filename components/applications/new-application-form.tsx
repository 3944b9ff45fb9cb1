"use client";

import { useActionState } from "react";
import { createApplicationAction } from "@/lib/actions/applications";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ChoiceField, SelectField } from "@/components/ui/field";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

export function NewApplicationForm({ organizations, defaultTrack }: { organizations: { organizationId: string; organizationName: string }[]; defaultTrack: "STANDARD" | "ACADEMIC" }) {
  const [state, action, isPending] = useActionState(createApplicationAction, undefined);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={action} onSubmit={submitKeepingValues(action)} className="space-y-4">
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
      <SelectField label="Organisation" name="organizationId" defaultValue={organizations.length === 1 ? organizations[0]?.organizationId : ""} errors={errors.organizationId}>
        <option value="">Choose…</option>
        {organizations.map((organization) => (
          <option key={organization.organizationId} value={organization.organizationId}>
            {organization.organizationName}
          </option>
        ))}
      </SelectField>
      <ChoiceField
        legend="Track"
        name="track"
        defaultValue={defaultTrack}
        options={[
          { value: "STANDARD", label: "Standard access request" },
          { value: "ACADEMIC", label: "Academic research access" },
        ]}
        errors={errors.track}
        hint="Academic access is for research at an institution; fairness and representation research is reviewed first."
      />
      <Button type="submit" disabled={isPending}>
        {isPending ? "Starting…" : "Start application"}
      </Button>
    </form>
  );
}
