// Throttles repeated failed sign-ins per email: after MAX_FAILURES within WINDOW_MS the email is locked for LOCK_MS.
import "server-only";
import { db } from "@/lib/db";

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

/** Milliseconds until the email may try again, or 0 when it is not locked. */
export async function lockedFor(email: string, now = new Date()): Promise<number> {
  const row = await db.signInThrottle.findUnique({ where: { email } });
  if (!row?.lockedUntil) return 0;
  return Math.max(0, row.lockedUntil.getTime() - now.getTime());
}

export async function recordFailedSignIn(email: string, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    // ON CONFLICT, not Prisma's upsert (read, then insert): concurrent first failures must not hit a unique violation.
    await tx.$executeRaw`
      INSERT INTO "SignInThrottle" (email, failures, "windowStart") VALUES (${email}, 0, ${now}) ON CONFLICT (email) DO NOTHING`;
    const [row] = await tx.$queryRaw<{ failures: number; windowStart: Date }[]>`
      SELECT failures, "windowStart" FROM "SignInThrottle" WHERE email = ${email} FOR UPDATE`;
    const inWindow = row !== undefined && now.getTime() - row.windowStart.getTime() < WINDOW_MS;
    const failures = inWindow ? row.failures + 1 : 1;
    await tx.signInThrottle.update({
      where: { email },
      data: {
        failures,
        windowStart: inWindow ? row.windowStart : now,
        lockedUntil: failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MS) : null,
      },
    });
  });
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { email } });
}
