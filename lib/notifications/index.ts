// In-app notifications, each mirrored as an email in the outbox (sent when SMTP_URL is configured, kept otherwise).
import "server-only";
import { db, type Tx } from "@/lib/db";

export interface NotificationInput {
  userIds: string[];
  title: string;
  body: string;
  /** A path inside the app, e.g. /applicant/applications/abc. */
  href?: string;
}

/** Writes the notifications and their emails in the caller's transaction, so nothing is lost if it rolls back. */
export async function notifyUsers({ userIds, title, body, href }: NotificationInput, tx: Tx = db): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  const users = await tx.user.findMany({ where: { id: { in: unique } }, select: { id: true, email: true } });
  await tx.notification.createMany({ data: users.map((user) => ({ userId: user.id, title, body, href })) });
  await tx.outboxEmail.createMany({
    data: users.map((user) => ({ to: user.email, subject: `[Gatehouse] ${title}`, body: href ? `${body}\n\n${href}` : body })),
  });
}
