import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { notifyUsers } from "@/lib/notifications";
import { deliverPendingEmails } from "@/lib/notifications/email";
import { getOutboxEmail, listOutboxEmails } from "@/lib/notifications/outbox";
import { countUnreadNotifications, listNotifications, NOTIFICATIONS_PAGE_SIZE } from "@/lib/notifications/queries";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/service";
import { createUser } from "@/tests/support/factories";
import { startSmtpServer, unusedPort, type TestSmtpServer } from "@/tests/support/smtp-server";

describe("notifications", () => {
  it("lists a user's own notifications newest first, paginated, with the unread count", async () => {
    const user = await createUser();
    const other = await createUser();
    for (let index = 0; index < NOTIFICATIONS_PAGE_SIZE + 2; index += 1) {
      await db.notification.create({ data: { userId: user.id, title: `N${index}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, index)) } });
    }
    await notifyUsers({ userIds: [other.id], title: "Someone else's", body: "" });
    const first = await listNotifications({ actor: user, input: { page: "1" } });
    expect(first).toMatchObject({ total: NOTIFICATIONS_PAGE_SIZE + 2, unread: NOTIFICATIONS_PAGE_SIZE + 2, pageCount: 2 });
    expect(first.notifications[0]?.title).toBe(`N${NOTIFICATIONS_PAGE_SIZE + 1}`);
    const second = await listNotifications({ actor: user, input: { page: "2" } });
    expect(second.notifications.map((row) => row.title)).toEqual(["N1", "N0"]);
    await expect(countUnreadNotifications({ actor: other })).resolves.toBe(1);
  });

  it("a user marks one or all of their own notifications read, and never someone else's", async () => {
    const user = await createUser();
    const other = await createUser();
    await notifyUsers({ userIds: [user.id, other.id], title: "Hello", body: "Body", href: "/applicant" });
    await notifyUsers({ userIds: [user.id], title: "Second", body: "" });
    const othersNotification = await db.notification.findFirstOrThrow({ where: { userId: other.id } });
    await expect(markNotificationRead({ actor: user, input: { notificationId: othersNotification.id } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(countUnreadNotifications({ actor: other })).resolves.toBe(1);

    const [mine] = (await listNotifications({ actor: user, input: {} })).notifications;
    if (!mine) throw new Error("expected a notification");
    await markNotificationRead({ actor: user, input: { notificationId: mine.id } });
    await expect(countUnreadNotifications({ actor: user })).resolves.toBe(1);
    await expect(markAllNotificationsRead({ actor: user })).resolves.toBe(1);
    await expect(countUnreadNotifications({ actor: user })).resolves.toBe(0);
    await expect(countUnreadNotifications({ actor: other })).resolves.toBe(1);
  });
});

describe("the outbox", () => {
  it("only admins read it", async () => {
    const user = await createUser();
    await notifyUsers({ userIds: [user.id], title: "Kept", body: "Body" });
    const email = await db.outboxEmail.findFirstOrThrow({ where: { to: user.email } });
    for (const role of ["APPLICANT", "REVIEWER"] as const) {
      const actor = await createUser({ role });
      await expect(listOutboxEmails({ actor, input: {} })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(getOutboxEmail({ actor, id: email.id })).rejects.toMatchObject({ kind: "forbidden" });
    }
    const admin = await createUser({ role: "ADMIN" });
    const list = await listOutboxEmails({ actor: admin, input: { page: "1" } });
    expect(list.emails).toEqual(expect.arrayContaining([expect.objectContaining({ id: email.id, subject: "[Gatehouse] Kept", status: "KEPT" })]));
    await expect(getOutboxEmail({ actor: admin, id: email.id })).resolves.toMatchObject({ body: "Body" });
    await expect(getOutboxEmail({ actor: admin, id: "missing" })).rejects.toMatchObject({ kind: "not_found" });
  });
});

describe("email delivery", () => {
  let smtp: TestSmtpServer | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
    await db.outboxEmail.deleteMany();
  });

  it("keeps emails in the outbox when no SMTP server is configured", async () => {
    const user = await createUser();
    await notifyUsers({ userIds: [user.id], title: "No SMTP", body: "Kept for admins" });
    await expect(deliverPendingEmails()).resolves.toEqual({ sent: 0, failed: 0 });
    await expect(db.outboxEmail.findFirstOrThrow({ where: { to: user.email } })).resolves.toMatchObject({ status: "KEPT" });
  });

  it("sends pending emails through SMTP and marks them sent", async () => {
    smtp = await startSmtpServer();
    const user = await createUser();
    await notifyUsers({ userIds: [user.id], title: "Your application", body: "It was approved.", href: "/applicant" });
    await expect(deliverPendingEmails({ smtpUrl: smtp.url, from: "Gatehouse <gate@example.com>" })).resolves.toEqual({ sent: 1, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
    const [message] = smtp.messages;
    expect(message?.from).toBe("gate@example.com");
    expect(message?.to).toEqual([user.email]);
    expect(message?.data).toContain("Subject: [Gatehouse] Your application");
    expect(message?.data).toContain("It was approved.");
    const row = await db.outboxEmail.findFirstOrThrow({ where: { to: user.email } });
    expect(row).toMatchObject({ status: "SENT", error: null, sentAt: expect.any(Date) });
    // Sent mail is not sent again.
    await expect(deliverPendingEmails({ smtpUrl: smtp.url })).resolves.toEqual({ sent: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  it("marks emails failed when the SMTP server is down and sends them on a later run", async () => {
    const user = await createUser();
    await notifyUsers({ userIds: [user.id], title: "Retry me", body: "Body" });
    const port = await unusedPort();
    await expect(deliverPendingEmails({ smtpUrl: `smtp://127.0.0.1:${port}` })).resolves.toEqual({ sent: 0, failed: 1 });
    const failed = await db.outboxEmail.findFirstOrThrow({ where: { to: user.email } });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/ECONNREFUSED|connect/i);

    smtp = await startSmtpServer();
    await expect(deliverPendingEmails({ smtpUrl: smtp.url })).resolves.toEqual({ sent: 1, failed: 0 });
    await expect(db.outboxEmail.findFirstOrThrow({ where: { to: user.email } })).resolves.toMatchObject({ status: "SENT", error: null });
    expect(smtp.messages[0]?.data).toContain("Retry me");
  });
});
