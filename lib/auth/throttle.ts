// Throttles password checks per email: at most MAX_FAILURES checks within WINDOW_MS, then the email is locked for
// LOCK_MS. An attempt is reserved atomically (one INSERT ... ON CONFLICT DO UPDATE ... RETURNING) before the
// password is checked, so concurrent attempts cannot all slip past the limit; a successful sign-in clears the row.
import "server-only";
import { db } from "@/lib/db";

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

export type SignInAttempt = { allowed: true } | { allowed: false; waitMs: number };

/** Milliseconds until the email may try again, or 0 when it is not locked. */
export async function lockedFor(email: string, now = new Date()): Promise<number> {
  const row = await db.signInThrottle.findUnique({ where: { email } });
  if (!row?.lockedUntil) return 0;
  return Math.max(0, row.lockedUntil.getTime() - now.getTime());
}

/**
 * Counts one password check for `email` before it runs. Refused when the email is locked or when MAX_FAILURES
 * checks are already counted in the window (finished failures or checks still in flight). A window that has
 * passed, with no lock in force, starts again at this attempt.
 */
export async function reserveSignInAttempt(email: string, now = new Date()): Promise<SignInAttempt> {
  const windowFloor = new Date(now.getTime() - WINDOW_MS);
  const [row] = await db.$queryRaw<{ failures: number; windowStart: Date; lockedUntil: Date | null }[]>`
    INSERT INTO "SignInThrottle" AS t (email, failures, "windowStart") VALUES (${email}, 1, ${now})
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE WHEN t."windowStart" <= ${windowFloor} AND (t."lockedUntil" IS NULL OR t."lockedUntil" <= ${now}) THEN 1 ELSE t.failures + 1 END,
      "windowStart" = CASE WHEN t."windowStart" <= ${windowFloor} AND (t."lockedUntil" IS NULL OR t."lockedUntil" <= ${now}) THEN ${now} ELSE t."windowStart" END,
      "lockedUntil" = CASE WHEN t."lockedUntil" <= ${now} THEN NULL ELSE t."lockedUntil" END
    RETURNING failures, "windowStart", "lockedUntil"`;
  if (!row) return { allowed: true };
  const lockedMs = row.lockedUntil ? row.lockedUntil.getTime() - now.getTime() : 0;
  if (lockedMs > 0) return { allowed: false, waitMs: lockedMs };
  if (row.failures > MAX_FAILURES) {
    // The allowance is used by checks still running: wait until this window ends, or a lock takes over.
    return { allowed: false, waitMs: Math.max(1, row.windowStart.getTime() + WINDOW_MS - now.getTime()) };
  }
  return { allowed: true };
}

/**
 * A reserved check failed: lock the email once the window's allowance is used, and forget expired rows (so
 * emails that were only ever guessed, known or not, do not stay in the table).
 */
export async function recordFailedSignIn(email: string, now = new Date()): Promise<void> {
  const lockedUntil = new Date(now.getTime() + LOCK_MS);
  await db.$executeRaw`
    UPDATE "SignInThrottle" SET "lockedUntil" = ${lockedUntil}
    WHERE email = ${email} AND failures >= ${MAX_FAILURES} AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})`;
  await pruneSignInThrottle(now);
}

/** Deletes rows whose window has passed and whose lock, if any, is over: they no longer limit anything. */
export async function pruneSignInThrottle(now = new Date()): Promise<number> {
  const windowFloor = new Date(now.getTime() - WINDOW_MS);
  return db.$executeRaw`
    DELETE FROM "SignInThrottle" WHERE "windowStart" <= ${windowFloor} AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})`;
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { email } });
}
