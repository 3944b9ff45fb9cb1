import type { Metadata } from "next";
import { UserRowActions } from "@/components/admin/user-row-actions";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/queries";
import { PageLinks } from "@/components/ui/pagination";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/users");
  const params = await searchParams;
  const { users, total, page, pageCount, q } = await listUsers({ actor, input: { q: params.q, page: params.page } });
  const pageHref = (target: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(target) }).toString()}`;
  return (
    <div className="space-y-6">
      <PageHeader title="Users" description={`${total} account${total === 1 ? "" : "s"}. Role changes and suspensions apply on the user's next request.`} />
      <Card>
        <form role="search" method="get" className="mb-4 flex gap-2" action="/admin/users">
          <label htmlFor="user-search" className="sr-only">
            Search users
          </label>
          <input
            id="user-search"
            name="q"
            defaultValue={q}
            placeholder="Search by email or name"
            className="w-full max-w-sm rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300"
          />
          <button type="submit" className={buttonClass("secondary")}>
            Search
          </button>
        </form>
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
