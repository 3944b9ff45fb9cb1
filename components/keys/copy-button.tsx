"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies `value` to the clipboard and says so in a live region. */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="secondary"
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => setCopied("copied"),
            () => setCopied("failed"),
          );
        }}
      >
        {label}
      </Button>
      <span aria-live="polite" className="text-xs text-slate-600">
        {copied === "copied" ? "Copied." : copied === "failed" ? "Copy failed: select the text and copy it." : ""}
      </span>
    </span>
  );
}
