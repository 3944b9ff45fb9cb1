import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getOutboxEmail } from "@/lib/notifications/outbox";

export const metadata: Metadata = { title: "Email" };

const formatTime = (date: Date | null) => (date ? `${date.toISOString().replace("T", " ").slice(0, 19)} UTC` : "—");

export default async function OutboxEmailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireArea("admin", `/admin/outbox/${id}`);
  const email = await getOutboxEmail({ actor, id }).catch((error: unknown) => {
    if (isAppError(error) && error.kind === "not_found") notFound();
    throw error;
  });
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title={email.subject}>
        <Link href="/admin/outbox" className="text-sm font-medium text-indigo-700 hover:underline">
          Back to the outbox
        </Link>
      </PageHeader>
      <Card>
        <dl className="grid gap-2 text-sm sm:grid-cols-[8rem_1fr]">
          <dt className="font-medium text-slate-700">To</dt>
          <dd>{email.to}</dd>
          <dt className="font-medium text-slate-700">Status</dt>
          <dd>{email.status.toLowerCase()}</dd>
          <dt className="font-medium text-slate-700">Created</dt>
          <dd>{formatTime(email.createdAt)}</dd>
          <dt className="font-medium text-slate-700">Sent</dt>
          <dd>{formatTime(email.sentAt)}</dd>
          {email.error ? (
            <>
              <dt className="font-medium text-slate-700">Last error</dt>
              <dd className="font-mono text-xs text-red-800">{email.error}</dd>
            </>
          ) : null}
        </dl>
        <h2 className="mt-6 text-sm font-semibold text-slate-800">Body</h2>
        <pre className="mt-2 whitespace-pre-wrap rounded-md bg-slate-50 p-4 font-sans text-sm text-slate-800 ring-1 ring-slate-200">{email.body}</pre>
      </Card>
    </div>
  );
}
