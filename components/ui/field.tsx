// Labelled form controls whose hints and errors are announced and linked with aria-describedby: the one module for
// inputs, textareas, selects and radio or checkbox groups.
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const controlClass =
  "block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-invalid:ring-red-500";
const labelClass = "block text-sm font-medium text-slate-800";

interface FieldProps {
  label: string;
  name: string;
  errors?: string[];
  hint?: string;
}

/** The id of a field's control: form names may be dotted paths ("answers.risk.harms"). */
function fieldId(name: string, id?: string): string {
  return id ?? `field-${name.replace(/\./g, "-")}`;
}

function hasErrors(errors?: string[]): errors is string[] {
  return errors !== undefined && errors.length > 0;
}

function describedBy(id: string, hint?: string, errors?: string[]): string | undefined {
  return [hint ? `${id}-hint` : undefined, hasErrors(errors) ? `${id}-error` : undefined].filter(Boolean).join(" ") || undefined;
}

function FieldMessages({ id, hint, errors }: { id: string; hint?: string; errors?: string[] }) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {hasErrors(errors) ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

/** The label above a control, and the hint and errors below it. */
function Labelled({ id, label, hint, errors, children }: { id: string; label: string; hint?: string; errors?: string[]; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children}
      <FieldMessages id={id} hint={hint} errors={errors} />
    </div>
  );
}

/** What every control carries: its id and name, the invalid state, and the hint and errors it is described by. */
function controlProps(id: string, name: string, hint?: string, errors?: string[]) {
  return { id, name, "aria-invalid": hasErrors(errors) || undefined, "aria-describedby": describedBy(id, hint, errors), className: controlClass };
}

export function Field({ label, name, errors, hint, ...props }: InputHTMLAttributes<HTMLInputElement> & FieldProps) {
  const id = fieldId(name, props.id);
  return (
    <Labelled id={id} label={label} hint={hint} errors={errors}>
      <input {...controlProps(id, name, hint, errors)} {...props} />
    </Labelled>
  );
}

export function TextareaField({ label, name, errors, hint, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & FieldProps) {
  const id = fieldId(name, props.id);
  return (
    <Labelled id={id} label={label} hint={hint} errors={errors}>
      <textarea rows={4} {...controlProps(id, name, hint, errors)} {...props} />
    </Labelled>
  );
}

export function SelectField({ label, name, errors, hint, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & FieldProps & { children: ReactNode }) {
  const id = fieldId(name, props.id);
  return (
    <Labelled id={id} label={label} hint={hint} errors={errors}>
      <select {...controlProps(id, name, hint, errors)} {...props}>
        {children}
      </select>
    </Labelled>
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
  const id = fieldId(name);
  const selected = Array.isArray(defaultValue) ? defaultValue : defaultValue === undefined ? [] : [defaultValue];
  return (
    <fieldset className="space-y-1" aria-describedby={describedBy(id, hint, errors)} aria-invalid={hasErrors(errors) || undefined}>
      <legend className={labelClass}>{legend}</legend>
      <div className="flex flex-wrap gap-x-5 gap-y-1 pt-1">
        {options.map((option) => (
          <label key={option.value} className="inline-flex items-center gap-2 text-sm text-slate-700">
            <input type={multiple ? "checkbox" : "radio"} name={name} value={option.value} defaultChecked={selected.includes(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
      <FieldMessages id={id} hint={hint} errors={errors} />
    </fieldset>
  );
}
