"use client";

import { updateCategoryScopesAction } from "@/lib/actions/categories";
import { ScopeEditor } from "@/components/keys/scope-editor";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { categoryScopesFormSchema } from "@/lib/categories/schema";
import type { KeyScopes } from "@/lib/keys/scopes";
import { useFormAction } from "@/components/forms/use-form-action";

export function CategoryScopesForm({ categoryId, scopes }: { categoryId: string; scopes: KeyScopes }) {
  const { state, onSubmit, isPending, fieldErrors } = useFormAction(updateCategoryScopesAction, categoryScopesFormSchema);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage message={state?.message} tone={state?.ok ? "success" : "error"} />
      <input type="hidden" name="id" value={categoryId} />
      <ScopeEditor variant="category" prefix="" idPrefix="category-scopes" defaults={scopes} errors={fieldErrors} />
      <Button type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Save default scopes"}
      </Button>
    </form>
  );
}
