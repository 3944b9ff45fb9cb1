// Email delivery: KEPT and FAILED outbox rows go out through SMTP_URL when it is set and are marked SENT, or FAILED
// with the error (retried on the next run). Without SMTP_URL nothing is sent and admins read the mail at /admin/outbox.
import "server-only";
import nodemailer from "nodemailer";
import { db } from "@/lib/db";
import { serverEnv } from "@/lib/env";

export interface DeliveryResult {
  sent: number;
  failed: number;
}

const BATCH = 50;
const ERROR_MAX = 1000;

// One run at a time per process (kept on globalThis: instrumentation and routes may load separate module copies).
const state = globalThis as unknown as { gatehouseEmailRun?: Promise<DeliveryResult> };

/** Sends the pending emails once; concurrent calls share the run in progress. */
export function deliverPendingEmails(options: { smtpUrl?: string; from?: string } = {}): Promise<DeliveryResult> {
  state.gatehouseEmailRun ??= runDelivery(options).finally(() => {
    state.gatehouseEmailRun = undefined;
  });
  return state.gatehouseEmailRun;
}

async function runDelivery(options: { smtpUrl?: string; from?: string }): Promise<DeliveryResult> {
  const env = serverEnv();
  const smtpUrl = options.smtpUrl ?? env.SMTP_URL;
  const from = options.from ?? env.MAIL_FROM;
  if (!smtpUrl) return { sent: 0, failed: 0 };
  const pending = await db.outboxEmail.findMany({
    where: { status: { in: ["KEPT", "FAILED"] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: BATCH,
    select: { id: true, to: true, subject: true, body: true },
  });
  if (pending.length === 0) return { sent: 0, failed: 0 };
  const transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  const result: DeliveryResult = { sent: 0, failed: 0 };
  try {
    for (const email of pending) {
      try {
        await transport.sendMail({ from, to: email.to, subject: email.subject, text: email.body });
        await db.outboxEmail.update({ where: { id: email.id }, data: { status: "SENT", sentAt: new Date(), error: null } });
        result.sent += 1;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await db.outboxEmail.update({ where: { id: email.id }, data: { status: "FAILED", error: message.slice(0, ERROR_MAX) } });
        result.failed += 1;
      }
    }
  } finally {
    transport.close();
  }
  return result;
}

/** Fire-and-forget after a transaction that wrote emails commits; failures stay FAILED and are retried by the loop. */
export function scheduleEmailDelivery(): void {
  deliverPendingEmails().catch((error: unknown) => {
    console.error("[gatehouse] email delivery failed", error);
  });
}

export const EMAIL_RETRY_INTERVAL_MS = 60_000;

/** Started once by instrumentation.ts in the Node.js server: retries FAILED and sends KEPT mail every minute. */
export function startEmailDeliveryLoop(): void {
  const loop = globalThis as unknown as { gatehouseEmailLoop?: NodeJS.Timeout };
  if (loop.gatehouseEmailLoop || !serverEnv().SMTP_URL) return;
  loop.gatehouseEmailLoop = setInterval(scheduleEmailDelivery, EMAIL_RETRY_INTERVAL_MS);
  loop.gatehouseEmailLoop.unref();
  scheduleEmailDelivery();
}
