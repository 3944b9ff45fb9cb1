"use client";

import { markAllNotificationsReadAction, markNotificationReadAction } from "@/lib/actions/notifications";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export function MarkReadButton({ notificationId, title }: { notificationId: string; title: string }) {
  const { state, onSubmit, isPending } = useFormAction(markNotificationReadAction);
  return (
    <form method="post" onSubmit={onSubmit}>
      <input type="hidden" name="notificationId" value={notificationId} />
      <Button type="submit" variant="secondary" disabled={isPending} aria-label={`Mark “${title}” as read`}>
        Mark as read
      </Button>
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
    </form>
  );
}

export function MarkAllReadButton() {
  const { state, onSubmit, isPending } = useFormAction(markAllNotificationsReadAction);
  return (
    <form method="post" onSubmit={onSubmit} className="flex items-center gap-3">
      <Button type="submit" variant="secondary" disabled={isPending}>
        Mark all as read
      </Button>
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
    </form>
  );
}
