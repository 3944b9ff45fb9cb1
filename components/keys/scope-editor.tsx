// One editor for key scopes: the admin's approval, a reviewer's suggested limits and a category's defaults.
// Fields are named `${prefix}<scope>` and read back by readScopeFields (lib/keys/scope-form.ts).
import { Field, SelectField, TextareaField } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";
import { formatTopics, numericScopeFields } from "@/lib/keys/scope-form";
import { apiEndpoints, contentFilterLevels, type KeyScopes } from "@/lib/keys/scopes";

/** grant: every scope; suggestion: only limits and filters, all optional; category: no topics or expiry. */
export type ScopeEditorVariant = "grant" | "suggestion" | "category";

const filterLabels = { off: "Off", standard: "Standard", strict: "Strict" } as const;

export function ScopeEditor({
  variant,
  prefix = "scope.",
  idPrefix,
  defaults,
  errors = {},
}: {
  variant: ScopeEditorVariant;
  prefix?: string;
  /** Unique per page: the editor's element ids start with it. */
  idPrefix: string;
  defaults: Partial<KeyScopes> | null;
  /** Errors keyed by scope name (maxPromptTokens, topics.0.name ...). */
  errors?: FieldErrors;
}) {
  const isSuggestion = variant === "suggestion";
  const id = (name: string) => `${idPrefix}-${name}`;
  const topicErrors = Object.entries(errors)
    .filter(([key]) => key.startsWith("topics"))
    .flatMap(([, messages]) => messages ?? []);
  return (
    <div className="space-y-4 text-sm">
      {isSuggestion ? null : (
        <div className="grid gap-4 md:grid-cols-2">
          <TextareaField
            id={id("models")}
            label="Models"
            name={`${prefix}models`}
            rows={2}
            defaultValue={defaults?.models?.join("\n") ?? ""}
            hint="One model name per line (or comma-separated)."
            errors={errors.models}
          />
          <fieldset aria-describedby={errors.endpoints ? id("endpoints-error") : undefined}>
            <legend className="text-sm font-medium text-slate-800">Endpoints</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {apiEndpoints.map((endpoint) => (
                <label key={endpoint} className="flex items-center gap-2">
                  <input type="checkbox" name={`${prefix}endpoints`} value={endpoint} defaultChecked={defaults?.endpoints?.includes(endpoint) ?? false} />
                  <span className="font-mono">{endpoint}</span>
                </label>
              ))}
            </div>
            {errors.endpoints ? (
              <p id={id("endpoints-error")} className="mt-1 text-sm text-red-700">
                {errors.endpoints.join(" ")}
              </p>
            ) : null}
          </fieldset>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {numericScopeFields.map((field) => (
          <Field
            key={field.name}
            id={id(field.name)}
            label={field.label}
            name={`${prefix}${field.name}`}
            type="number"
            inputMode="numeric"
            min={1}
            defaultValue={defaults?.[field.name] ?? ""}
            required={!isSuggestion}
            errors={errors[field.name]}
          />
        ))}
        {(["inputFilter", "outputFilter"] as const).map((name) => (
          <SelectField
            key={name}
            id={id(name)}
            label={name === "inputFilter" ? "Input filter" : "Output filter"}
            name={`${prefix}${name}`}
            defaultValue={defaults?.[name] ?? ""}
            errors={errors[name]}
          >
            {isSuggestion ? <option value="">No suggestion</option> : null}
            {contentFilterLevels.map((level) => (
              <option key={level} value={level}>
                {filterLabels[level]}
              </option>
            ))}
          </SelectField>
        ))}
        {variant === "grant" ? (
          <Field
            id={id("expiresAt")}
            label="Expires on (optional)"
            name={`${prefix}expiresAt`}
            type="date"
            defaultValue={defaults?.expiresAt?.slice(0, 10) ?? ""}
            errors={errors.expiresAt}
          />
        ) : null}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">End users</legend>
        <div className="max-w-xs">
          <Field
            id={id("perEndUserRequestsPerMinute")}
            label="Requests per minute per end user"
            name={`${prefix}perEndUserRequestsPerMinute`}
            type="number"
            inputMode="numeric"
            min={1}
            defaultValue={defaults?.perEndUserRequestsPerMinute ?? ""}
            hint={isSuggestion ? undefined : "Leave empty for no per-user limit."}
            errors={errors.perEndUserRequestsPerMinute}
          />
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" name={`${prefix}requireEndUserId`} defaultChecked={defaults?.requireEndUserId === true} />
          Require an end-user id on every request
        </label>
      </fieldset>
      {variant === "grant" ? (
        <TextareaField
          id={id("topics")}
          label="Allowed topics"
          name={`${prefix}topics`}
          rows={2}
          defaultValue={formatTopics(defaults?.topics ?? [])}
          hint="One per line: “Name: keyword, keyword”. Leave empty for no topic restriction."
          errors={topicErrors.length > 0 ? topicErrors : undefined}
        />
      ) : null}
    </div>
  );
}
