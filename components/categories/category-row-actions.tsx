"use client";

import { moveCategoryAction, setCategoryRetiredAction } from "@/lib/actions/categories";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/forms/use-form-action";

export function CategoryMoveButtons({ id, name, isFirst, isLast }: { id: string; name: string; isFirst: boolean; isLast: boolean }) {
  const { state, onSubmit, isPending } = useFormAction(moveCategoryAction);
  return (
    <div>
      <form method="post" onSubmit={onSubmit} className="flex gap-1">
        <input type="hidden" name="id" value={id} />
        <Button type="submit" name="direction" value="up" variant="secondary" disabled={isFirst || isPending} aria-label={`Move ${name} up`}>
          ↑
        </Button>
        <Button type="submit" name="direction" value="down" variant="secondary" disabled={isLast || isPending} aria-label={`Move ${name} down`}>
          ↓
        </Button>
      </form>
      {state && !state.ok ? <FormMessage message={state.message} /> : null}
    </div>
  );
}

export function CategoryRetireButton({ id, name, isRetired, applicationCount }: { id: string; name: string; isRetired: boolean; applicationCount: number }) {
  const { state, onSubmit, isPending } = useFormAction(setCategoryRetiredAction);
  const formId = `retire-${id}`;
  return (
    <div className="space-y-2">
      <form method="post" id={formId} onSubmit={onSubmit}>
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="retired" value={isRetired ? "false" : "true"} />
      </form>
      {isRetired ? (
        <Button type="submit" form={formId} variant="secondary" disabled={isPending} aria-label={`Unretire ${name}`}>
          Unretire
        </Button>
      ) : (
        <ConfirmButton label="Retire" title={`Retire “${name}”?`} confirmLabel="Retire category" formId={formId} disabled={isPending}>
          It disappears from the public policy and from new applications.{" "}
          {applicationCount > 0
            ? `The ${applicationCount} application${applicationCount === 1 ? "" : "s"} filed under it keep it.`
            : "No application uses it yet."}{" "}
          You can unretire it later.
        </ConfirmButton>
      )}
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
    </div>
  );
}
