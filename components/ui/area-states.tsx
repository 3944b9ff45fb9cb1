"use client";
// What an area shows while its page loads and when it fails unexpectedly (used by each route group's
// loading.tsx and error.tsx), so a failure keeps the area's navigation and offers a way back.
import Link from "next/link";
import { buttonClass } from "./button";

export function AreaLoading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-4" data-testid="area-loading">
      <p className="sr-only">Loading {label}…</p>
      <div aria-hidden className="h-8 w-1/2 max-w-sm animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="h-40 animate-pulse rounded-lg bg-white ring-1 ring-slate-200" />
      <div aria-hidden className="h-24 animate-pulse rounded-lg bg-white ring-1 ring-slate-200" />
    </div>
  );
}

export function AreaError({ error, reset, area, home }: { error: Error & { digest?: string }; reset: () => void; area: string; home: string }) {
  return (
    <div role="alert" className="mx-auto max-w-lg space-y-4 rounded-lg bg-white p-6 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-xl font-bold text-slate-900">This part of {area} could not be shown</h1>
      <p className="text-sm text-slate-600">
        Something went wrong on our side and it was logged{error.digest ? ` (reference ${error.digest})` : ""}. Nothing you entered was saved twice.
      </p>
      <div className="flex flex-wrap justify-center gap-3">
        <button type="button" onClick={reset} className={buttonClass()}>
          Try again
        </button>
        <Link href={home} className={buttonClass("secondary")}>
          Back to {area}
        </Link>
      </div>
    </div>
  );
}
