import type { Metadata } from "next";
import { AdminKeyActions } from "@/components/admin/admin-key-actions";
import { OrganizationAccessActions } from "@/components/admin/organization-access-actions";
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { PageLinks, queryHref, redirectPastLastPage } from "@/components/ui/pagination";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { listAllKeys, listOrganizationsForAdmin } from "@/lib/keys/queries";
import { formatUtc, keyStatuses } from "@/lib/keys/status";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";
import { FilterForm, FilterInput, FilterSelect } from "@/components/ui/filters";

export const metadata: Metadata = { title: "API keys" };

const statusLabels = { active: "Active", grace: "In grace", revoked: "Revoked", suspended: "Suspended", expired: "Expired" } as const;

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
  const keyPageHref = (page: number) => queryHref("/admin/keys", { ...current, page });
  const orgPageHref = (page: number) => queryHref("/admin/keys", { ...current, orgPage: page });
  redirectPastLastPage(keys.page, keys.pageCount, keyPageHref);
  redirectPastLastPage(orgs.page, orgs.pageCount, orgPageHref);
  return (
    <div className="space-y-6">
      <PageHeader title="API keys" description={`${keys.total} key${keys.total === 1 ? "" : "s"} match. Revocations and suspensions apply on the key's next request.`} />
      <Card title="Keys">
        <FilterForm action="/admin/keys">
          <FilterInput id="key-search" label="Search keys" name="q" defaultValue={keys.q} placeholder="Organisation, key name or prefix" className="w-72" />
          <FilterSelect id="key-status" label="Status" name="status" defaultValue={keys.status ?? ""}>
            <option value="">Any status</option>
            {keyStatuses.map((status) => (
              <option key={status} value={status}>
                {statusLabels[status]}
              </option>
            ))}
          </FilterSelect>
          {orgs.q ? <input type="hidden" name="org" value={orgs.q} /> : null}
        </FilterForm>
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
        <PageLinks label="Key pages" page={keys.page} pageCount={keys.pageCount} hrefFor={keyPageHref} />
      </Card>
      <Card title="Organisations' API access">
        <FilterForm action="/admin/keys" submitLabel="Search">
          <FilterInput id="org-search" label="Search organisations" name="org" defaultValue={orgs.q} placeholder="Organisation name" className="w-72" />
          {keys.q ? <input type="hidden" name="q" value={keys.q} /> : null}
          {keys.status ? <input type="hidden" name="status" value={keys.status} /> : null}
        </FilterForm>
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
        <PageLinks label="Organisation pages" page={orgs.page} pageCount={orgs.pageCount} hrefFor={orgPageHref} />
      </Card>
    </div>
  );
}
