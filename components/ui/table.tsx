import type { ReactNode } from "react";

/**
 * A data table that scrolls inside its own box on narrow screens instead of widening the page. The box is a
 * labelled, focusable region, so keyboard users can scroll it too.
 */
export function Table({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="max-w-full overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600">
      <table className={`w-full text-left text-sm ${className}`}>{children}</table>
    </div>
  );
}

/** The header row: one column heading per entry. */
export function TableHead({ columns }: { columns: readonly ReactNode[] }) {
  return (
    <thead className="text-slate-600">
      <tr>
        {columns.map((column, index) => (
          <th key={index} scope="col" className="whitespace-nowrap py-2 pr-4 font-medium last:pr-0">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function TableBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

/** A shared empty state: what is missing, and optionally what to do about it. */
export function EmptyState({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="space-y-3 text-sm text-slate-600">
      <p>{children}</p>
      {action}
    </div>
  );
}
