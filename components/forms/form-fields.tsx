import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

// Labelled textarea and select with announced errors, matching components/ui/field.tsx.
const control =
  "block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-invalid:ring-red-500";

function describedBy(id: string, hint?: string, errors?: string[]) {
  return [hint ? `${id}-hint` : undefined, errors && errors.length > 0 ? `${id}-error` : undefined].filter(Boolean).join(" ") || undefined;
}

function Extras({ id, hint, errors }: { id: string; hint?: string; errors?: string[] }) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors && errors.length > 0 ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

export function TextareaField({
  label,
  name,
  errors,
  hint,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; errors?: string[]; hint?: string }) {
  const id = props.id ?? `field-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea id={id} name={name} rows={4} aria-invalid={(errors && errors.length > 0) || undefined} aria-describedby={describedBy(id, hint, errors)} className={control} {...props} />
      <Extras id={id} hint={hint} errors={errors} />
    </div>
  );
}

export function SelectField({
  label,
  name,
  errors,
  hint,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; errors?: string[]; hint?: string; children: ReactNode }) {
  const id = props.id ?? `field-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={id} name={name} aria-invalid={(errors && errors.length > 0) || undefined} aria-describedby={describedBy(id, hint, errors)} className={control} {...props}>
        {children}
      </select>
      <Extras id={id} hint={hint} errors={errors} />
    </div>
  );
}
