import type { Metadata } from "next";
import { UserRowActions } from "@/components/admin/user-row-actions";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/queries";
import { PageLinks, redirectPastLastPage } from "@/components/ui/pagination";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";
import { FilterForm, FilterInput } from "@/components/ui/filters";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/users");
  const params = await searchParams;
  const { users, total, page, pageCount, q } = await listUsers({ actor, input: { q: params.q, page: params.page } });
  const pageHref = (target: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(target) }).toString()}`;
  redirectPastLastPage(page, pageCount, pageHref);
  return (
    <div className="space-y-6">
      <PageHeader title="Users" description={`${total} account${total === 1 ? "" : "s"}. Role changes and suspensions apply on the user's next request.`} />
      <Card>
        <FilterForm action="/admin/users" submitLabel="Search">
          <FilterInput id="user-search" label="Search users" hideLabel name="q" defaultValue={q} placeholder="Search by email or name" className="w-72" />
        </FilterForm>
        {users.length === 0 ? (
          <EmptyState>{q ? `No account matches “${q}”.` : "No accounts yet."}</EmptyState>
        ) : (
          <Table label="Accounts">
            <TableHead columns={["Account", "Status", "Role and access"]} />
            <TableBody>
              {users.map((user) => (
                <tr key={user.id} data-testid={`user-row-${user.email}`}>
                  <td className="py-3 pr-4 align-top">
                    <div className="font-medium">{user.name}</div>
                    <div className="text-slate-500">{user.email}</div>
                  </td>
                  <td className="py-3 pr-4 align-top">
                    {user.status === "SUSPENDED" ? <Badge tone="red">Suspended</Badge> : <Badge tone="green">Active</Badge>}
                  </td>
                  <td className="py-3 align-top">
                    <UserRowActions user={user} isSelf={user.id === actor.id} />
                  </td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
        <PageLinks page={page} pageCount={pageCount} hrefFor={pageHref} />
      </Card>
    </div>
  );
}
