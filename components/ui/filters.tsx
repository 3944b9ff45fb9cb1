// The filter bar above a list: a GET search form whose labelled controls wrap on narrow screens.
import Link from "next/link";
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { buttonClass } from "./button";

const controlClass = "max-w-full rounded-md border-0 px-3 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600";

export function FilterForm({ action, submitLabel = "Filter", clearHref, children }: { action: string; submitLabel?: string; clearHref?: string; children: ReactNode }) {
  return (
    <form role="search" method="get" action={action} className="mb-4 flex flex-wrap items-end gap-3 text-sm">
      {children}
      <button type="submit" className={buttonClass("secondary")}>
        {submitLabel}
      </button>
      {clearHref ? (
        <Link href={clearHref} className="py-1.5 text-indigo-700 hover:underline">
          Clear
        </Link>
      ) : null}
    </form>
  );
}

function Labelled({ id, label, hideLabel, children }: { id: string; label: string; hideLabel?: boolean; children: ReactNode }) {
  return (
    <div className="flex max-w-full flex-col gap-1">
      <label htmlFor={id} className={hideLabel ? "sr-only" : "font-medium text-slate-800"}>
        {label}
      </label>
      {children}
    </div>
  );
}

export function FilterInput({ id, label, hideLabel, className = "", ...props }: InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; hideLabel?: boolean }) {
  return (
    <Labelled id={id} label={label} hideLabel={hideLabel}>
      <input id={id} className={`${controlClass} ${className}`} {...props} />
    </Labelled>
  );
}

export function FilterSelect({ id, label, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { id: string; label: string; children: ReactNode }) {
  return (
    <Labelled id={id} label={label}>
      <select id={id} className={`${controlClass} pr-8`} {...props}>
        {children}
      </select>
    </Labelled>
  );
}

export function FilterCheckbox({ label, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string }) {
  return (
    <label className="flex items-center gap-2 py-1.5">
      <input type="checkbox" {...props} /> {label}
    </label>
  );
}
