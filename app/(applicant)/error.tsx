"use client";

import { AreaError } from "@/components/ui/area-states";

export default function AreaErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <AreaError error={error} reset={reset} area="your applications" home="/applicant" />;
}
