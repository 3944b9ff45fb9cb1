import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { countOpenAppeals } from "@/lib/appeals/queries";
import { listRecentAudit } from "@/lib/audit/queries";
import { requireArea } from "@/lib/auth/session";
import { countUsersByRole } from "@/lib/users/queries";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminHome() {
  const actor = await requireArea("admin", "/admin");
  const [counts, audit, openAppeals] = await Promise.all([countUsersByRole({ actor }), listRecentAudit({ actor }), countOpenAppeals({ actor })]);
  return (
    <div className="space-y-6">
      <PageHeader title="Admin" description="Accounts, roles and the audit log." />
      <Card title="Accounts">
        <ul className="mb-4 flex flex-wrap gap-6 text-sm">
          {counts.map((row) => (
            <li key={`${row.role}-${row.status}`}>
              <span className="text-2xl font-semibold">{row.count}</span>{" "}
              <span className="text-slate-600">
                {row.role.toLowerCase()}
                {row.status === "SUSPENDED" ? " (suspended)" : ""}
              </span>
            </li>
          ))}
        </ul>
        <Link href="/admin/users" className="font-medium text-indigo-700 hover:underline">
          Manage users
        </Link>
      </Card>
      <Card title="API access">
        <ul className="flex flex-wrap gap-6 text-sm">
          <li><Link href="/admin/keys" className="font-medium text-indigo-700 hover:underline">API keys and organisations&apos; access</Link></li>
          <li><Link href="/admin/moderation" className="font-medium text-indigo-700 hover:underline">Moderation queue</Link></li>
          <li><Link href="/admin/usage" className="font-medium text-indigo-700 hover:underline">Usage this month</Link></li>
          <li><Link href="/admin/audit" className="font-medium text-indigo-700 hover:underline">Audit log</Link></li>
        </ul>
      </Card>
      <Card title="Policy and mail">
        <ul className="flex flex-wrap gap-6 text-sm">
          <li>
            <Link href="/admin/categories" className="font-medium text-indigo-700 hover:underline">
              Use-case categories
            </Link>
          </li>
          <li>
            <Link href="/admin/outbox" className="font-medium text-indigo-700 hover:underline">
              Email outbox
            </Link>
          </li>
        </ul>
      </Card>
      <Card title="Reviews">
        <ul className="flex flex-wrap gap-6 text-sm">
          <li>
            <Link href="/admin/appeals" className="font-medium text-indigo-700 hover:underline" data-testid="open-appeals">
              Open appeals: {openAppeals}
            </Link>
          </li>
          <li>
            <Link href="/admin/settings" className="font-medium text-indigo-700 hover:underline">
              Review settings
            </Link>
          </li>
          <li>
            <Link href="/admin/calibration" className="font-medium text-indigo-700 hover:underline">
              Calibration and time to decision
            </Link>
          </li>
          <li>
            <Link href="/admin/assignment" className="font-medium text-indigo-700 hover:underline">
              Automatic assignment
            </Link>
          </li>
        </ul>
      </Card>
      <Card title="Recent audit log">
        <p className="mb-4 text-sm">
          <Link href="/admin/audit" className="font-medium text-indigo-700 hover:underline">
            Full audit log, filters and CSV export
          </Link>
        </p>
        {audit.length === 0 ? (
          <EmptyState>No privileged action has been taken yet.</EmptyState>
        ) : (
          <Table label="Recent audit log">
            <TableHead columns={["When", "Who", "Action", "Target"]} />
            <TableBody>
              {audit.map((entry) => (
                <tr key={entry.id}>
                  <td className="py-2 pr-4 whitespace-nowrap">{entry.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC</td>
                  <td className="py-2 pr-4">{entry.actor?.email ?? "system"}</td>
                  <td className="py-2 pr-4 font-mono text-xs">{entry.action}</td>
                  <td className="py-2 font-mono text-xs">
                    {entry.targetType} {entry.targetId}
                  </td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
