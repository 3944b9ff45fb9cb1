"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-lg space-y-3 py-12 text-center">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="text-slate-600">
        The error was logged{error.digest ? ` (reference ${error.digest})` : ""}. Nothing you entered was saved twice; try again.
      </p>
      <button type="button" onClick={reset} className="font-medium text-indigo-700 hover:underline">
        Try again
      </button>
    </div>
  );
}
