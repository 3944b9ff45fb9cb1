// The admins' view of every email Gatehouse wrote: sent, failed (retried) or kept because no SMTP server is set.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";

export const OUTBOX_PAGE_SIZE = 25;

const listSchema = z.object({ page: z.coerce.number().int().min(1).catch(1).default(1) });

export async function listOutboxEmails({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "read the outbox");
  const { page } = parseInput(listSchema, input);
  const [emails, total] = await Promise.all([
    db.outboxEmail.findMany({
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * OUTBOX_PAGE_SIZE,
      take: OUTBOX_PAGE_SIZE,
      select: { id: true, to: true, subject: true, status: true, createdAt: true, sentAt: true },
    }),
    db.outboxEmail.count(),
  ]);
  return { emails, total, page, pageCount: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)) };
}

export async function getOutboxEmail({ actor, id }: { actor: SessionUser; id: string }) {
  assertAdmin(actor, "read the outbox");
  const email = await db.outboxEmail.findUnique({ where: { id } });
  if (!email) throw new AppError("not_found", "That email does not exist.");
  return email;
}
