"use client";

import { useActionState } from "react";
import { markReviewedAction } from "@/lib/actions/moderation";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function ModerationReviewButton({ eventId }: { eventId: string }) {
  const [state, action, isPending] = useActionState(markReviewedAction, undefined);
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="eventId" value={eventId} />
      <Button type="submit" variant="secondary" disabled={isPending}>
        Mark reviewed
      </Button>
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
    </form>
  );
}
