"use client";

import { useRef, type ReactNode } from "react";
import { Button, type ButtonVariant } from "./button";

/** A button that asks before a destructive action; the dialog is a native <dialog>, so Escape and focus work. */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  variant = "danger",
  formId,
  disabled,
}: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  variant?: ButtonVariant;
  formId: string;
  disabled?: boolean;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button variant={variant === "danger" ? "secondary" : variant} onClick={() => dialogRef.current?.showModal()} disabled={disabled}>
        {label}
      </Button>
      <dialog ref={dialogRef} aria-labelledby={`${formId}-title`} className="m-auto max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <h2 id={`${formId}-title`} className="text-lg font-semibold">
          {title}
        </h2>
        <div className="mt-2 text-sm text-slate-600">{children}</div>
        <div className="mt-6 flex justify-end gap-3">
          <Button variant="secondary" onClick={() => dialogRef.current?.close()} autoFocus>
            Cancel
          </Button>
          <Button variant={variant} type="submit" form={formId} onClick={() => dialogRef.current?.close()}>
            {confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
