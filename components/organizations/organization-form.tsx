"use client";

import { createOrganizationAction } from "@/lib/actions/organizations";
import { useFormAction } from "@/components/forms/use-form-action";
import { Button } from "@/components/ui/button";
import { Field, TextareaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { organizationInputSchema } from "@/lib/organizations/schema";

export function OrganizationForm() {
  const { state, onSubmit, isPending, fieldErrors } = useFormAction(createOrganizationAction, organizationInputSchema);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage message={state?.message} tone={state?.ok ? "success" : "error"} />
      <Field label="Organisation name" name="name" required maxLength={100} autoComplete="organization" errors={fieldErrors.name} />
      <Field label="Website (optional)" name="website" type="url" placeholder="https://example.com" maxLength={300} errors={fieldErrors.website} />
      <TextareaField
        label="Description (optional)"
        name="description"
        maxLength={2000}
        hint="What your team does; reviewers read this with your applications."
        errors={fieldErrors.description}
      />
      <Button type="submit" disabled={isPending}>
        {isPending ? "Creating…" : "Create organisation"}
      </Button>
    </form>
  );
}
