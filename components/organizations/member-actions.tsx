"use client";

import {
  changeMemberRoleAction,
  leaveOrganizationAction,
  removeMemberAction,
  revokeInvitationAction,
} from "@/lib/actions/organizations";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import type { OrgRole } from "@/lib/organizations/schema";

/** An owner's controls on one member row: make owner / make member, and remove (with confirmation). */
export function MemberRowActions({ organizationId, member }: { organizationId: string; member: { id: string; name: string; email: string; role: OrgRole } }) {
  const role = useFormAction(changeMemberRoleAction);
  const remove = useFormAction(removeMemberAction);
  const removeFormId = `remove-${member.id}`;
  const state = remove.state ?? role.state;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <form method="post" onSubmit={role.onSubmit}>
          <input type="hidden" name="organizationId" value={organizationId} />
          <input type="hidden" name="userId" value={member.id} />
          <input type="hidden" name="role" value={member.role === "OWNER" ? "MEMBER" : "OWNER"} />
          <Button type="submit" variant="secondary" disabled={role.isPending} aria-label={`${member.role === "OWNER" ? "Make member" : "Make owner"}: ${member.email}`}>
            {member.role === "OWNER" ? "Make member" : "Make owner"}
          </Button>
        </form>
        <form method="post" id={removeFormId} onSubmit={remove.onSubmit}>
          <input type="hidden" name="organizationId" value={organizationId} />
          <input type="hidden" name="userId" value={member.id} />
        </form>
        <ConfirmButton label="Remove" title={`Remove ${member.name}?`} confirmLabel="Remove member" formId={removeFormId} disabled={remove.isPending}>
          {member.email} loses access to this organisation&apos;s applications and keys at once. You can invite them again later.
        </ConfirmButton>
      </div>
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
    </div>
  );
}

export function RevokeInvitationButton({ invitationId, label }: { invitationId: string; label: string }) {
  const { state, onSubmit, isPending } = useFormAction(revokeInvitationAction);
  const formId = `revoke-${invitationId}`;
  return (
    <div className="space-y-2">
      <form method="post" id={formId} onSubmit={onSubmit}>
        <input type="hidden" name="invitationId" value={invitationId} />
      </form>
      <ConfirmButton label="Revoke" title={`Revoke the invitation ${label}?`} confirmLabel="Revoke invitation" formId={formId} disabled={isPending}>
        The link stops working at once. You can create a new one later.
      </ConfirmButton>
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
    </div>
  );
}

export function LeaveOrganizationButton({ organizationId, organizationName }: { organizationId: string; organizationName: string }) {
  const { state, onSubmit, isPending } = useFormAction(leaveOrganizationAction);
  const formId = `leave-${organizationId}`;
  return (
    <div className="space-y-2">
      <form method="post" id={formId} onSubmit={onSubmit}>
        <input type="hidden" name="organizationId" value={organizationId} />
      </form>
      <ConfirmButton label="Leave organisation" title={`Leave ${organizationName}?`} confirmLabel="Leave" formId={formId} disabled={isPending}>
        You lose access to its applications and keys. An owner can invite you again.
      </ConfirmButton>
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
    </div>
  );
}
