"use client";

import { useActionState } from "react";
import { resolveModerationAction } from "@/lib/actions/moderation";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";
import { ReasonField } from "./reason-field";

interface ActionSpec {
  resolution: "dismiss" | "warn" | "suspend_key" | "suspend_organization" | "revoke_key";
  label: string;
  title: string;
  confirmLabel: string;
  explanation: string;
  reasonLabel?: string;
}

/** What an admin may do with one flagged item; each asks for confirmation, and all but dismissing ask why. */
export function ModerationActions({
  eventId,
  organizationName,
  keyLabel,
  canDismiss,
  canWarn,
  canSuspendKey,
  canRevokeKey,
  canSuspendOrganization,
}: {
  eventId: string;
  organizationName: string;
  keyLabel: string;
  canDismiss: boolean;
  canWarn: boolean;
  canSuspendKey: boolean;
  canRevokeKey: boolean;
  canSuspendOrganization: boolean;
}) {
  const [state, action, isPending] = useActionState(resolveModerationAction, undefined);
  const specs: ActionSpec[] = [
    ...(canDismiss ? [{ resolution: "dismiss", label: "Dismiss", title: "Dismiss this flagged item?", confirmLabel: "Dismiss", explanation: "The item leaves the queue; nobody is told." } as const] : []),
    ...(canWarn
      ? [{ resolution: "warn", label: "Warn organisation", title: `Warn ${organizationName}?`, confirmLabel: "Send warning", explanation: "Its members see your message in their notifications and on the organisation's page.", reasonLabel: "Message to the organisation" } as const]
      : []),
    ...(canSuspendKey
      ? [{ resolution: "suspend_key", label: "Suspend key", title: `Suspend ${keyLabel}?`, confirmLabel: "Suspend key", explanation: "The key is refused on its next request until reinstated on the API keys page.", reasonLabel: "Reason (shown to the organisation)" } as const]
      : []),
    ...(canSuspendOrganization
      ? [
          {
            resolution: "suspend_organization",
            label: "Suspend organisation",
            title: `Suspend API access of ${organizationName}?`,
            confirmLabel: "Suspend organisation",
            explanation: "Every key of the organisation is refused on its next request until access is reinstated.",
            reasonLabel: "Reason (shown to the organisation)",
          } as const,
        ]
      : []),
    ...(canRevokeKey
      ? [{ resolution: "revoke_key", label: "Revoke key", title: `Revoke ${keyLabel}?`, confirmLabel: "Revoke key", explanation: "The key is refused on its very next request. This cannot be undone.", reasonLabel: "Reason (shown to the organisation)" } as const]
      : []),
  ];
  if (specs.length === 0) return <span className="text-sm text-slate-500">No actions left</span>;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {specs.map((spec) => {
          const formId = `moderation-${spec.resolution}-${eventId}`;
          return (
            <div key={spec.resolution}>
              <form id={formId} action={action} onSubmit={submitKeepingValues(action)}>
                <input type="hidden" name="eventId" value={eventId} />
                <input type="hidden" name="resolution" value={spec.resolution} />
              </form>
              <ConfirmButton label={spec.label} title={spec.title} confirmLabel={spec.confirmLabel} formId={formId} disabled={isPending} variant={spec.resolution === "dismiss" ? "secondary" : "danger"}>
                <p>{spec.explanation}</p>
                {spec.reasonLabel ? <ReasonField formId={formId} label={spec.reasonLabel} /> : null}
              </ConfirmButton>
            </div>
          );
        })}
      </div>
      {/* The reason field sits in a dialog that has closed by now, so its error is the message itself. */}
      {state ? <FormMessage tone={state.ok ? "success" : "error"} message={state.ok ? state.message : (state.fieldErrors.reason?.join(" ") ?? state.message)} /> : null}
    </div>
  );
}
