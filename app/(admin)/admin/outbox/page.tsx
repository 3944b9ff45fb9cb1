import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { serverEnv } from "@/lib/env";
import { listOutboxEmails } from "@/lib/notifications/outbox";
import { PageLinks, redirectPastLastPage } from "@/components/ui/pagination";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Email outbox" };

const tones = { KEPT: "amber", SENT: "green", FAILED: "red" } as const;
const labels = { KEPT: "Kept", SENT: "Sent", FAILED: "Failed" } as const;

export default async function OutboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/outbox");
  const params = await searchParams;
  const { emails, total, page, pageCount } = await listOutboxEmails({ actor, input: { page: params.page } });
  const pageHref = (target: number) => `/admin/outbox?page=${target}`;
  redirectPastLastPage(page, pageCount, pageHref);
  const hasSmtp = serverEnv().SMTP_URL !== undefined;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Email outbox"
        description={
          hasSmtp
            ? `${total} email${total === 1 ? "" : "s"}. SMTP is configured: kept and failed emails are sent (failed ones retried every minute).`
            : `${total} email${total === 1 ? "" : "s"}. No SMTP_URL is configured, so emails are kept here for you to read; nothing is sent.`
        }
      />
      <Card>
        {emails.length === 0 ? (
          <EmptyState>No email has been written yet.</EmptyState>
        ) : (
          <Table label="Outbox">
            <TableHead columns={["Subject", "To", "Status", "Created"]} />
            <TableBody>
              {emails.map((email) => (
                <tr key={email.id} data-testid="outbox-row">
                  <td className="py-2 pr-4">
                    <Link href={`/admin/outbox/${email.id}`} className="font-medium text-indigo-700 hover:underline">
                      {email.subject}
                    </Link>
                  </td>
                  <td className="py-2 pr-4">{email.to}</td>
                  <td className="py-2 pr-4">
                    <Badge tone={tones[email.status]}>{labels[email.status]}</Badge>
                  </td>
                  <td className="py-2 whitespace-nowrap">{email.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC</td>
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
