"use client";

import { updateCategoryScopesAction } from "@/app/(admin)/admin/categories/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { categoryScopesFormSchema } from "@/lib/categories/schema";
import { apiEndpoints, contentFilterLevels, type KeyScopes } from "@/lib/keys/scopes";
import { SelectField, TextareaField } from "@/components/forms/form-fields";
import { useFormAction } from "@/components/forms/use-form-action";

const numericFields = [
  { name: "maxPromptTokens", label: "Maximum prompt tokens" },
  { name: "maxCompletionTokens", label: "Maximum completion tokens" },
  { name: "requestsPerMinute", label: "Requests per minute" },
  { name: "tokensPerMinute", label: "Tokens per minute" },
  { name: "monthlyTokenQuota", label: "Monthly token quota" },
] as const;

export function CategoryScopesForm({ categoryId, scopes }: { categoryId: string; scopes: KeyScopes }) {
  const { state, onSubmit, isPending, fieldErrors } = useFormAction(updateCategoryScopesAction, categoryScopesFormSchema);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage message={state?.message} tone={state?.ok ? "success" : "error"} />
      <input type="hidden" name="id" value={categoryId} />
      <div className="grid gap-4 sm:grid-cols-2">
        {numericFields.map((field) => (
          <Field
            key={field.name}
            label={field.label}
            name={field.name}
            type="number"
            inputMode="numeric"
            min={1}
            defaultValue={scopes[field.name]}
            required
            errors={fieldErrors[field.name]}
          />
        ))}
        <Field
          label="Requests per minute per end user"
          name="perEndUserRequestsPerMinute"
          type="number"
          min={1}
          defaultValue={scopes.perEndUserRequestsPerMinute ?? ""}
          hint="Leave empty for no per-user limit."
          errors={fieldErrors.perEndUserRequestsPerMinute}
        />
      </div>
      <fieldset aria-describedby={fieldErrors.endpoints ? "endpoints-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Endpoints</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {apiEndpoints.map((endpoint) => (
            <label key={endpoint} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="endpoints" value={endpoint} defaultChecked={scopes.endpoints.includes(endpoint)} />
              <span className="font-mono">{endpoint}</span>
            </label>
          ))}
        </div>
        {fieldErrors.endpoints ? (
          <p id="endpoints-error" className="mt-1 text-sm text-red-700">
            {fieldErrors.endpoints.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <TextareaField label="Models" name="models" rows={2} defaultValue={scopes.models.join("\n")} hint="One model name per line (or comma-separated)." errors={fieldErrors.models} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Input filter" name="inputFilter" defaultValue={scopes.inputFilter} errors={fieldErrors.inputFilter}>
          {contentFilterLevels.map((level) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </SelectField>
        <SelectField label="Output filter" name="outputFilter" defaultValue={scopes.outputFilter} errors={fieldErrors.outputFilter}>
          {contentFilterLevels.map((level) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </SelectField>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="requireEndUserId" defaultChecked={scopes.requireEndUserId} />
        Require an end-user id on every request
      </label>
      <Button type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Save default scopes"}
      </Button>
    </form>
  );
}
