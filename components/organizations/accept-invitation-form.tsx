"use client";

import { acceptInvitationAction } from "@/lib/actions/invitations";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function AcceptInvitationForm({ token, organizationName }: { token: string; organizationName: string }) {
  const { state, onSubmit, isPending } = useFormAction(acceptInvitationAction);
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-3">
      <FormMessage message={state?.message} tone={state?.ok ? "success" : "error"} />
      <input type="hidden" name="token" value={token} />
      <Button type="submit" disabled={isPending}>
        {isPending ? "Joining…" : `Accept and join ${organizationName}`}
      </Button>
    </form>
  );
}
