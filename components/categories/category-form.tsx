"use client";

import { createCategoryAction, updateCategoryAction } from "@/lib/actions/categories";
import { Button } from "@/components/ui/button";
import { Field, SelectField, TextareaField } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { categoryInputSchema, categoryStatuses, categoryStatusLabels, updateCategorySchema, type CategoryStatus } from "@/lib/categories/schema";
import { useFormAction } from "@/components/forms/use-form-action";

export interface CategoryFormValues {
  id: string;
  slug: string;
  name: string;
  status: CategoryStatus;
  description: string;
  examples: string[];
  safeguards: string[];
}

export function CategoryForm({ category }: { category?: CategoryFormValues }) {
  const { state, onSubmit, isPending, fieldErrors } = useFormAction(category ? updateCategoryAction : createCategoryAction, category ? updateCategorySchema : categoryInputSchema);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage message={state?.message} tone={state?.ok ? "success" : "error"} />
      {category ? <input type="hidden" name="id" value={category.id} /> : null}
      <Field label="Name" name="name" defaultValue={category?.name} required maxLength={100} errors={fieldErrors.name} />
      <Field
        label="Slug"
        name="slug"
        defaultValue={category?.slug}
        required
        maxLength={60}
        hint="Lowercase letters, digits and hyphens; unique, e.g. customer-support."
        errors={fieldErrors.slug}
      />
      <SelectField label="Status" name="status" defaultValue={category?.status ?? ""} required errors={fieldErrors.status}>
        <option value="" disabled>
          Choose…
        </option>
        {categoryStatuses.map((status) => (
          <option key={status} value={status}>
            {categoryStatusLabels[status]}
          </option>
        ))}
      </SelectField>
      <TextareaField label="Description" name="description" defaultValue={category?.description} required maxLength={2000} errors={fieldErrors.description} />
      <TextareaField label="Examples" name="examples" defaultValue={category?.examples.join("\n")} hint="One example per line." errors={fieldErrors.examples} />
      <TextareaField
        label="Safeguards reviewers expect"
        name="safeguards"
        defaultValue={category?.safeguards.join("\n")}
        hint="One safeguard per line."
        errors={fieldErrors.safeguards}
      />
      <Button type="submit" disabled={isPending}>
        {isPending ? "Saving…" : category ? "Save category" : "Create category"}
      </Button>
    </form>
  );
}
