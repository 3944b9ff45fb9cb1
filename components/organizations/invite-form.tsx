"use client";

import { useState } from "react";
import { createInvitationAction } from "@/lib/actions/organizations";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, SelectField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { createInvitationSchema } from "@/lib/organizations/schema";

export function InviteForm({ organizationId }: { organizationId: string }) {
  const { state, onSubmit, isPending, fieldErrors } = useFormAction(createInvitationAction, createInvitationSchema);
  const [copied, setCopied] = useState(false);
  const token = state?.ok ? state.data?.token : undefined;
  const link = token ? `${window.location.origin}/invitations/${token}` : undefined;
  return (
    <div className="space-y-4">
      <form method="post"
        onSubmit={(event) => {
          setCopied(false);
          onSubmit(event);
        }}
        noValidate
        className="space-y-4"
      >
        <input type="hidden" name="organizationId" value={organizationId} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Email (optional)"
            name="email"
            type="email"
            hint="When set, only the account with this email can accept."
            errors={fieldErrors.email}
          />
          <SelectField label="Role" name="role" defaultValue="MEMBER" errors={fieldErrors.role}>
            <option value="MEMBER">Member</option>
            <option value="OWNER">Owner</option>
          </SelectField>
        </div>
        <Button type="submit" disabled={isPending}>
          {isPending ? "Creating…" : "Create invitation link"}
        </Button>
      </form>
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
      {link ? (
        <div className="space-y-2 rounded-md bg-green-50 p-4 ring-1 ring-green-200">
          <p className="text-sm text-green-900" role="status">
            {state?.message} It expires in 7 days and works once.
          </p>
          <label htmlFor="invitation-link" className="block text-sm font-medium text-slate-800">
            Invitation link
          </label>
          <div className="flex gap-2">
            <input id="invitation-link" readOnly value={link} className="w-full rounded-md border-0 px-3 py-2 font-mono text-xs ring-1 ring-inset ring-slate-300" onFocus={(event) => event.currentTarget.select()} />
            <Button
              variant="secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(link).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
