// Labelled inputs for the application form; every control has a label and announces its errors.
import type { ReactNode } from "react";

const controlClass =
  "block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-invalid:ring-red-500";

function idFor(name: string): string {
  return `field-${name.replace(/\./g, "-")}`;
}

function describedBy(id: string, hint: string | undefined, errors: string[] | undefined): string | undefined {
  return [hint ? `${id}-hint` : undefined, errors?.length ? `${id}-error` : undefined].filter(Boolean).join(" ") || undefined;
}

function HintAndErrors({ id, hint, errors }: { id: string; hint?: string; errors?: string[] }) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  label,
  name,
  defaultValue,
  errors,
  hint,
  multiline = false,
  type = "text",
}: {
  label: string;
  name: string;
  defaultValue?: string;
  errors?: string[];
  hint?: string;
  multiline?: boolean;
  type?: "text" | "number" | "date";
}) {
  const id = idFor(name);
  const common = { id, name, defaultValue, "aria-invalid": errors?.length ? true : undefined, "aria-describedby": describedBy(id, hint, errors), className: controlClass };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {multiline ? <textarea rows={4} {...common} /> : <input type={type} {...common} />}
      <HintAndErrors id={id} hint={hint} errors={errors} />
    </div>
  );
}

export function SelectField({
  label,
  name,
  defaultValue,
  errors,
  hint,
  options,
  onChange,
}: {
  label: string;
  name: string;
  defaultValue?: string;
  errors?: string[];
  hint?: string;
  options: { value: string; label: string }[];
  onChange?: (value: string) => void;
}) {
  const id = idFor(name);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        className={controlClass}
        onChange={(event) => onChange?.(event.target.value)}
      >
        <option value="">Choose…</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <HintAndErrors id={id} hint={hint} errors={errors} />
    </div>
  );
}

/** Radios (one value) or checkboxes (several) in a fieldset whose legend labels the group. */
export function ChoiceField({
  legend,
  name,
  options,
  defaultValue,
  errors,
  hint,
  multiple = false,
}: {
  legend: ReactNode;
  name: string;
  options: { value: string; label: string }[];
  defaultValue?: string | string[];
  errors?: string[];
  hint?: string;
  multiple?: boolean;
}) {
  const id = idFor(name);
  const selected = Array.isArray(defaultValue) ? defaultValue : defaultValue === undefined ? [] : [defaultValue];
  return (
    <fieldset className="space-y-1" aria-describedby={describedBy(id, hint, errors)} aria-invalid={errors?.length ? true : undefined}>
      <legend className="block text-sm font-medium text-slate-800">{legend}</legend>
      <div className="flex flex-wrap gap-x-5 gap-y-1 pt-1">
        {options.map((option) => (
          <label key={option.value} className="inline-flex items-center gap-2 text-sm text-slate-700">
            <input type={multiple ? "checkbox" : "radio"} name={name} value={option.value} defaultChecked={selected.includes(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
      <HintAndErrors id={id} hint={hint} errors={errors} />
    </fieldset>
  );
}
