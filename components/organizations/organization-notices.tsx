import Link from "next/link";
import { formatUtc } from "@/lib/keys/status";

export interface WarningView {
  id: string;
  message: string;
  createdAt: Date;
  organization?: { id: string; name: string };
}

/** The administrators' warnings and an API-access suspension with its reason, as the organisation's members see them. */
export function OrganizationNotices({ suspendedAt, suspendedReason, warnings }: { suspendedAt?: Date | null; suspendedReason?: string | null; warnings: readonly WarningView[] }) {
  if (!suspendedAt && warnings.length === 0) return null;
  return (
    <section aria-labelledby="org-notices" className="space-y-3">
      <h2 id="org-notices" className="text-lg font-semibold text-slate-900">
        Notices from the administrators
      </h2>
      {suspendedAt ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200" data-testid="org-suspension">
          <p className="font-semibold">API access suspended since {formatUtc(suspendedAt)}: every key of this organisation is refused until it is reinstated.</p>
          {suspendedReason ? <p className="mt-1">Reason: {suspendedReason}</p> : null}
        </div>
      ) : null}
      {warnings.length > 0 ? (
        <ul className="space-y-2">
          {warnings.map((warning) => (
            <li key={warning.id} className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="org-warning">
              <p className="font-semibold">
                Warning
                {warning.organization ? (
                  <>
                    {" "}to{" "}
                    <Link href={`/applicant/organizations/${warning.organization.id}`} className="underline">
                      {warning.organization.name}
                    </Link>
                  </>
                ) : null}{" "}
                ({formatUtc(warning.createdAt)})
              </p>
              <p className="mt-1 whitespace-pre-line">{warning.message}</p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
