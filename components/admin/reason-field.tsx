/** The reason an admin gives for an action on a team's access, inside its confirmation dialog (500 characters at most). */
export function ReasonField({ formId, label }: { formId: string; label: string }) {
  return (
    <>
      <label htmlFor={`${formId}-reason`} className="mt-3 block font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={`${formId}-reason`}
        name="reason"
        form={formId}
        rows={3}
        maxLength={500}
        className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 ring-1 ring-inset ring-slate-300"
      />
    </>
  );
}
