"use client";

import { useActionState } from "react";
import { setUserRoleAction, setUserStatusAction } from "@/lib/actions/users";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import { roles, type Role, type UserStatus } from "@/lib/users/schema";

export function UserRowActions({ user, isSelf }: { user: { id: string; email: string; role: Role; status: UserStatus }; isSelf: boolean }) {
  const [roleState, roleAction, isRolePending] = useActionState(setUserRoleAction, undefined);
  const [statusState, statusAction, isStatusPending] = useActionState(setUserStatusAction, undefined);
  const statusFormId = `status-${user.id}`;
  const isSuspended = user.status === "SUSPENDED";
  const state = statusState ?? roleState;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <form action={roleAction} className="flex items-center gap-2">
          <input type="hidden" name="userId" value={user.id} />
          <label htmlFor={`role-${user.id}`} className="sr-only">
            Role of {user.email}
          </label>
          <select
            id={`role-${user.id}`}
            name="role"
            defaultValue={user.role}
            disabled={isSelf}
            className="rounded-md border-0 py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300"
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {role.toLowerCase()}
              </option>
            ))}
          </select>
          <Button type="submit" variant="secondary" disabled={isSelf || isRolePending} aria-label={`Save role of ${user.email}`}>
            Save role
          </Button>
        </form>
        <form id={statusFormId} action={statusAction}>
          <input type="hidden" name="userId" value={user.id} />
          <input type="hidden" name="status" value={isSuspended ? "ACTIVE" : "SUSPENDED"} />
        </form>
        {isSuspended ? (
          <Button type="submit" form={statusFormId} variant="secondary" disabled={isStatusPending}>
            Reinstate
          </Button>
        ) : (
          <ConfirmButton
            label="Suspend"
            title={`Suspend ${user.email}?`}
            confirmLabel="Suspend account"
            formId={statusFormId}
            disabled={isSelf || isStatusPending}
          >
            They are signed out on their next request and cannot sign in until reinstated. Their data is kept.
          </ConfirmButton>
        )}
      </div>
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
    </div>
  );
}
