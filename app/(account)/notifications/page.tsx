import type { Metadata } from "next";
import Link from "next/link";
import { MarkAllReadButton, MarkReadButton } from "@/components/layout/notification-actions";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { listNotifications } from "@/lib/notifications/queries";
import { PageLinks, redirectPastLastPage } from "@/components/ui/pagination";

export const metadata: Metadata = { title: "Notifications" };

const formatTime = (date: Date) => `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireUser("/notifications");
  const params = await searchParams;
  const { notifications, total, unread, page, pageCount } = await listNotifications({ actor, input: { page: params.page } });
  const pageHref = (target: number) => `/notifications?page=${target}`;
  redirectPastLastPage(page, pageCount, pageHref);
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title="Notifications" description={`${unread} unread of ${total}.`}>
        {unread > 0 ? <MarkAllReadButton /> : null}
      </PageHeader>
      <Card>
        {notifications.length === 0 ? (
          <p className="text-sm text-slate-600">{page > 1 ? "No notifications on this page." : "No notifications yet. You will hear here when something needs you."}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {notifications.map((notification) => (
              <li key={notification.id} className="flex flex-wrap items-start justify-between gap-3 py-4" data-testid="notification">
                <div className="min-w-0 flex-1 space-y-1">
                  <div className="flex flex-wrap items-center gap-2">
                    {notification.readAt ? null : <Badge tone="indigo">Unread</Badge>}
                    {notification.href ? (
                      <Link href={notification.href} className="font-medium text-indigo-700 hover:underline">
                        {notification.title}
                      </Link>
                    ) : (
                      <span className="font-medium">{notification.title}</span>
                    )}
                  </div>
                  {notification.body ? <p className="whitespace-pre-line text-sm text-slate-600">{notification.body}</p> : null}
                  <p className="text-xs text-slate-500">{formatTime(notification.createdAt)}</p>
                </div>
                {notification.readAt ? null : <MarkReadButton notificationId={notification.id} title={notification.title} />}
              </li>
            ))}
          </ul>
        )}
        <PageLinks page={page} pageCount={pageCount} hrefFor={pageHref} />
      </Card>
    </div>
  );
}
