"use client";

import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { CopyButton } from "./copy-button";
import { PLAYGROUND_STORAGE_KEY } from "./playground";

/** The one time a key's secret is shown: it is never stored, so it cannot be shown again. */
export function SecretReveal({ secret, name }: { secret: string; name: string }) {
  return (
    <div role="status" className="space-y-2 rounded-md bg-amber-50 p-4 ring-1 ring-amber-300" data-testid="secret-reveal">
      <p className="text-sm font-semibold text-amber-900">Copy the secret of “{name}” now: you won&apos;t see it again.</p>
      <p className="text-xs text-amber-900">Gatehouse stores only a hash of it. If you lose it, rotate or create another key.</p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`secret-${secret.slice(0, 12)}`} className="sr-only">
          Secret of {name}
        </label>
        <input
          id={`secret-${secret.slice(0, 12)}`}
          readOnly
          value={secret}
          onFocus={(event) => event.currentTarget.select()}
          className="w-full max-w-xl rounded-md border-0 bg-white px-3 py-2 font-mono text-xs ring-1 ring-inset ring-amber-300"
        />
        <CopyButton value={secret} label="Copy secret" />
        {/* The playground reads the key from this tab's session storage, the one place it keeps a secret. */}
        <Link href="/applicant/playground" onClick={() => window.sessionStorage.setItem(PLAYGROUND_STORAGE_KEY, secret)} className={buttonClass("secondary")}>
          Try it in the playground
        </Link>
      </div>
    </div>
  );
}
