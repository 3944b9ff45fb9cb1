import type { Metadata } from "next";
import { AdminKeyActions } from "@/components/admin/admin-key-actions";
import { OrganizationAccessActions } from "@/components/admin/organization-access-actions";
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { PageLinks, queryHref } from "@/components/ui/pagination";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { listAllKeys, listOrganizationsForAdmin } from "@/lib/keys/queries";
import { formatUtc, keyStatuses } from "@/lib/keys/status";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "API keys" };

const statusLabels = { active: "Active", grace: "In grace", revoked: "Revoked", suspended: "Suspended", expired: "Expired" } as const;
const inputClass = "rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300";

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

export default async function AdminKeysPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requireArea("admin", "/admin/keys");
  const params = await searchParams;
  const [keys, orgs] = await Promise.all([
    listAllKeys({ actor, input: { q: one(params.q), status: one(params.status), page: one(params.page) } }),
    listOrganizationsForAdmin({ actor, input: { q: one(params.org), page: one(params.orgPage) } }),
  ]);
  const current = { q: keys.q, status: keys.status, page: keys.page, org: orgs.q, orgPage: orgs.page };
  return (
    <div className="space-y-6">
      <PageHeader title="API keys" description={`${keys.total} key${keys.total === 1 ? "" : "s"} match. Revocations and suspensions apply on the key's next request.`} />
      <Card title="Keys">
        <form role="search" method="get" className="mb-4 flex flex-wrap items-end gap-2" action="/admin/keys">
          <div>
            <label htmlFor="key-search" className="block text-sm font-medium text-slate-800">
              Search keys
            </label>
            <input id="key-search" name="q" defaultValue={keys.q} placeholder="Organisation, key name or prefix" className={`${inputClass} w-72`} />
          </div>
          <div>
            <label htmlFor="key-status" className="block text-sm font-medium text-slate-800">
              Status
            </label>
            <select id="key-status" name="status" defaultValue={keys.status ?? ""} className={`${inputClass} pr-8`}>
              <option value="">Any status</option>
              {keyStatuses.map((status) => (
                <option key={status} value={status}>
                  {statusLabels[status]}
                </option>
              ))}
            </select>
          </div>
          {orgs.q ? <input type="hidden" name="org" value={orgs.q} /> : null}
          <button type="submit" className={buttonClass("secondary")}>
            Filter
          </button>
        </form>
        {keys.keys.length === 0 ? (
          <EmptyState>{keys.q || keys.status ? "No key matches these filters." : "No keys have been created yet."}</EmptyState>
        ) : (
          <div>
            <Table label="Keys">
              <TableHead columns={["Organisation", "Key", "Created", "Last used", "Status", "Actions"]} />
              <TableBody>
                {keys.keys.map((key) => (
                  <tr key={key.id} data-testid={`admin-key-row-${key.prefix}`}>
                    <td className="py-3 pr-4 align-top">{key.organization.name}</td>
                    <td className="py-3 pr-4 align-top">
                      <div className="font-medium">{key.name}</div>
                      <div className="font-mono text-xs text-slate-500">
                        {key.prefix}… · {key.kind === "LIVE" ? "live" : "development"}
                      </div>
                    </td>
                    <td className="py-3 pr-4 align-top whitespace-nowrap">{formatUtc(key.createdAt)}</td>
                    <td className="py-3 pr-4 align-top whitespace-nowrap">{key.lastUsedAt ? formatUtc(key.lastUsedAt) : "Never"}</td>
                    <td className="py-3 pr-4 align-top">
                      <KeyStatusBadge state={key.state} />
                    </td>
                    <td className="py-3 align-top">
                      <AdminKeyActions
                        keyId={key.id}
                        label={`${key.name} (${key.prefix}…)`}
                        isRevoked={key.state.status === "revoked"}
                        isSuspended={key.state.status === "suspended" && !key.state.byOrganization}
                      />
                    </td>
                  </tr>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        <PageLinks label="Key pages" page={keys.page} pageCount={keys.pageCount} hrefFor={(page) => queryHref("/admin/keys", { ...current, page })} />
      </Card>
      <Card title="Organisations' API access">
        <form role="search" method="get" className="mb-4 flex flex-wrap items-end gap-2" action="/admin/keys">
          <div>
            <label htmlFor="org-search" className="block text-sm font-medium text-slate-800">
              Search organisations
            </label>
            <input id="org-search" name="org" defaultValue={orgs.q} placeholder="Organisation name" className={`${inputClass} w-72`} />
          </div>
          {keys.q ? <input type="hidden" name="q" value={keys.q} /> : null}
          {keys.status ? <input type="hidden" name="status" value={keys.status} /> : null}
          <button type="submit" className={buttonClass("secondary")}>
            Search
          </button>
        </form>
        {orgs.organizations.length === 0 ? (
          <EmptyState>{orgs.q ? `No organisation matches “${orgs.q}”.` : "No organisations yet."}</EmptyState>
        ) : (
          <Table label="Organisations">
            <TableHead columns={["Organisation", "Members", "Keys", "API access", "Actions"]} />
            <TableBody>
              {orgs.organizations.map((organization) => (
                <tr key={organization.id} data-testid={`admin-org-row-${organization.name}`}>
                  <td className="py-3 pr-4 align-top font-medium">{organization.name}</td>
                  <td className="py-3 pr-4 align-top">{organization.memberCount}</td>
                  <td className="py-3 pr-4 align-top">{organization.keyCount}</td>
                  <td className="py-3 pr-4 align-top">
                    {organization.suspendedAt ? <Badge tone="red">Suspended since {formatUtc(organization.suspendedAt)}</Badge> : <Badge tone="green">Active</Badge>}
                  </td>
                  <td className="py-3 align-top">
                    <OrganizationAccessActions organizationId={organization.id} name={organization.name} isSuspended={organization.suspendedAt !== null} />
                  </td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
        <PageLinks label="Organisation pages" page={orgs.page} pageCount={orgs.pageCount} hrefFor={(page) => queryHref("/admin/keys", { ...current, orgPage: page })} />
      </Card>
    </div>
  );
}
