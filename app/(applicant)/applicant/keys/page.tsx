import type { Metadata } from "next";
import Link from "next/link";
import { CreateKeyForm } from "@/components/keys/create-key-form";
import { KeyAreaNav } from "@/components/keys/key-area-nav";
import { KeyRowActions } from "@/components/keys/key-row-actions";
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { ScopeSummary } from "@/components/keys/scope-summary";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { listKeysForUser } from "@/lib/keys/queries";
import { MAX_KEYS_PER_GRANT } from "@/lib/keys/service";
import { formatUtc } from "@/lib/keys/status";
import { Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const actor = await requireArea("applicant", "/applicant/keys");
  const organizations = await listKeysForUser({ actor });
  return (
    <div>
      <PageHeader title="API keys" description="Keys are issued under your approvals and carry their scopes. Secrets are shown once, when created." />
      <KeyAreaNav current="/applicant/keys" />
      {organizations.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-600">
            You are not a member of an organisation yet. Keys become available once an access request is approved.{" "}
            <Link href="/applicant" className="font-medium text-indigo-700 hover:underline">
              Go to your applications
            </Link>
          </p>
        </Card>
      ) : null}
      <div className="space-y-8">
        {organizations.map((organization) => (
          <section key={organization.id} aria-labelledby={`org-${organization.id}`} className="space-y-4">
            <h2 id={`org-${organization.id}`} className="text-xl font-semibold">
              {organization.name}
            </h2>
            {organization.suspendedAt ? (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
                An administrator suspended this organisation&apos;s API access on {formatUtc(organization.suspendedAt)}: every key is refused until it is reinstated.
                {organization.suspendedReason ? <span className="mt-1 block">Reason: {organization.suspendedReason}</span> : null}
              </p>
            ) : null}
            {organization.grants.length === 0 ? (
              <Card>
                <p className="text-sm text-slate-600">No approval yet: keys are issued when an access request is approved.</p>
              </Card>
            ) : null}
            {organization.grants.map((grant) => {
              const disabledReason = grant.revokedAt
                ? "This approval was withdrawn; no new keys can be created under it."
                : grant.isExpired
                  ? "This approval has expired; no new keys can be created under it."
                  : grant.activeCount >= MAX_KEYS_PER_GRANT
                    ? `You have ${MAX_KEYS_PER_GRANT} active keys, the most one approval allows. Revoke one you no longer use first.`
                    : null;
              return (
                <Card key={grant.id} id={`grant-${grant.id}`}>
                  <div className="mb-4 flex flex-wrap items-center gap-2">
                    <h3 className="text-lg font-semibold">{grant.applicationName ?? "Approval"}</h3>
                    <Badge tone={grant.kind === "LIVE" ? "indigo" : "slate"}>{grant.kind === "LIVE" ? "Live (production)" : "Development"}</Badge>
                    {grant.revokedAt ? <Badge tone="red">Withdrawn</Badge> : grant.isExpired ? <Badge tone="slate">Expired</Badge> : null}
                    <span className="text-sm text-slate-500">approved {formatUtc(grant.createdAt)}</span>
                  </div>
                  <details className="mb-4" open>
                    <summary className="cursor-pointer text-sm font-medium text-slate-700">Scopes of this approval</summary>
                    <div className="mt-2">
                      <ScopeSummary scopes={grant.scopes} />
                    </div>
                  </details>
                  <h4 className="mb-2 text-sm font-semibold text-slate-700">
                    Keys ({grant.activeCount} of {MAX_KEYS_PER_GRANT} active)
                  </h4>
                  {grant.keys.length === 0 ? (
                    <p className="mb-4 text-sm text-slate-600">No keys yet. Create one below.</p>
                  ) : (
                    <div className="mb-4">
                      <Table label={`Keys of ${grant.applicationName ?? "this approval"}`}>
                        <TableHead columns={["Name", "Prefix", "Created", "Last used", "Status", "Actions"]} />
                        <TableBody>
                          {grant.keys.map((key) => (
                            <tr key={key.id} data-testid={`key-row-${key.prefix}`}>
                              <td className="py-3 pr-4 align-top font-medium">{key.name}</td>
                              <td className="py-3 pr-4 align-top font-mono text-xs">{key.prefix}…</td>
                              <td className="py-3 pr-4 align-top whitespace-nowrap">
                                {formatUtc(key.createdAt)}
                                {key.createdByName ? <div className="text-xs text-slate-500">by {key.createdByName}</div> : null}
                              </td>
                              <td className="py-3 pr-4 align-top whitespace-nowrap">{key.lastUsedAt ? formatUtc(key.lastUsedAt) : "Never"}</td>
                              <td className="py-3 pr-4 align-top">
                                <KeyStatusBadge state={key.state} />
                                {key.suspendedReason ? <div className="mt-1 text-xs text-red-800">Reason: {key.suspendedReason}</div> : null}
                              </td>
                              <td className="py-3 align-top">
                                <KeyRowActions
                                  keyId={key.id}
                                  name={key.name}
                                  canRotate={key.state.status === "active" && !grant.revokedAt && !grant.isExpired}
                                  canRevoke={key.state.status !== "revoked"}
                                />
                              </td>
                            </tr>
                          ))}
                        </TableBody>
                      </Table>
                    </div>
                  )}
                  <CreateKeyForm grantId={grant.id} disabledReason={disabledReason} />
                </Card>
              );
            })}
          </section>
        ))}
      </div>
    </div>
  );
}
