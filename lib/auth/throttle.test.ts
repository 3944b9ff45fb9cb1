import { describe, expect, it, vi } from "vitest";
import { clearFailedSignIns, lockedFor, recordFailedSignIn, reserveSignInAttempt } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { authenticate } from "@/lib/users/service";
import { createUser, TEST_PASSWORD, uniqueEmail } from "@/tests/support/factories";

// Counts the password checks that actually run, per password tried.
const checks = vi.hoisted(() => ({ passwords: [] as string[] }));
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/password")>();
  return {
    ...original,
    verifyPassword: async (passwordHash: string, password: string) => {
      checks.passwords.push(password);
      return original.verifyPassword(passwordHash, password);
    },
  };
});

const MINUTE = 60_000;

function at(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * MINUTE);
}

/** One failed check as authenticate makes it: reserve the attempt, then record the failure. */
async function failOnce(email: string, now = new Date()): Promise<boolean> {
  const attempt = await reserveSignInAttempt(email, now);
  if (attempt.allowed) await recordFailedSignIn(email, now);
  return attempt.allowed;
}

async function failTimes(email: string, count: number, now = new Date()): Promise<void> {
  for (let i = 0; i < count; i += 1) await failOnce(email, now);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("sign-in throttle", () => {
  it("four failures do not lock the email", async () => {
    const email = uniqueEmail();
    const now = new Date();
    await failTimes(email, 4, now);
    expect(await lockedFor(email, now)).toBe(0);
  });

  it("the fifth failure locks the email for 15 minutes", async () => {
    const email = uniqueEmail();
    const now = new Date();
    await failTimes(email, 5, now);
    expect(await lockedFor(email, now)).toBe(15 * MINUTE);
    expect(await lockedFor(email, at(now, 14))).toBe(MINUTE);
    expect(await lockedFor(email, at(now, 15))).toBe(0);
  });

  it("five failures spread over less than 15 minutes still lock", async () => {
    const email = uniqueEmail();
    const start = new Date();
    for (const minute of [0, 3, 6, 9, 14]) await failOnce(email, at(start, minute));
    expect(await lockedFor(email, at(start, 14))).toBe(15 * MINUTE);
  });

  it("a failure after the 15-minute window starts the count again", async () => {
    const email = uniqueEmail();
    const start = new Date();
    await failTimes(email, 4, start);
    const later = at(start, 16);
    await failTimes(email, 4, later);
    expect(await lockedFor(email, later)).toBe(0);
    await failOnce(email, later);
    expect(await lockedFor(email, later)).toBe(15 * MINUTE);
  });

  it("clearing after a successful sign-in forgets earlier failures", async () => {
    const email = uniqueEmail();
    const now = new Date();
    await failTimes(email, 4, now);
    await clearFailedSignIns(email);
    await failTimes(email, 4, now);
    expect(await lockedFor(email, now)).toBe(0);
    expect(await db.signInThrottle.findUnique({ where: { email } })).toMatchObject({ failures: 4 });
  });

  it("of ten concurrent attempts exactly five are allowed, and their failures lock the email", async () => {
    const email = uniqueEmail();
    const now = new Date();
    const allowed = await Promise.all(Array.from({ length: 10 }, () => failOnce(email, now)));
    expect(allowed.filter(Boolean)).toHaveLength(5);
    expect(await lockedFor(email, now)).toBe(15 * MINUTE);
  });

  it("a locked email is refused without counting a check, until the lock is over", async () => {
    const email = uniqueEmail();
    const now = new Date();
    await failTimes(email, 5, now);
    expect(await reserveSignInAttempt(email, at(now, 1))).toEqual({ allowed: false, waitMs: 14 * MINUTE });
    expect(await reserveSignInAttempt(email, at(now, 15))).toEqual({ allowed: true });
  });

  it("expired rows are pruned, so guessed emails do not stay in the table", async () => {
    const start = new Date();
    const guessed = Array.from({ length: 20 }, () => uniqueEmail("nobody"));
    for (const email of guessed) await failOnce(email, start);
    const locked = uniqueEmail("locked");
    await failTimes(locked, 5, at(start, 10));
    expect(await db.signInThrottle.count({ where: { email: { in: [...guessed, locked] } } })).toBe(21);
    // Any later failure prunes rows whose window has passed; a lock still in force is kept.
    await failOnce(uniqueEmail("later"), at(start, 16));
    expect(await db.signInThrottle.count({ where: { email: { in: guessed } } })).toBe(0);
    expect(await lockedFor(locked, at(start, 16))).toBe(9 * MINUTE);
    await failOnce(uniqueEmail("later"), at(start, 41));
    expect(await db.signInThrottle.count({ where: { email: locked } })).toBe(0);
  });

  it("failures for one email do not lock another", async () => {
    const locked = uniqueEmail();
    const other = uniqueEmail();
    const now = new Date();
    await failTimes(locked, 5, now);
    expect(await lockedFor(other, now)).toBe(0);
  });
});

describe("authenticate with throttling", () => {
  it("after five wrong passwords the right password is refused as rate limited", async () => {
    const user = await createUser();
    for (let i = 0; i < 5; i += 1) {
      const error = await refusal(authenticate({ input: { email: user.email, password: `wrong password ${i}` } }));
      expect(error.kind).toBe("unauthenticated");
    }
    const error = await refusal(authenticate({ input: { email: user.email, password: TEST_PASSWORD } }));
    expect(error.kind).toBe("rate_limited");
    expect(error.message).toMatch(/try again in 15 minutes/i);
  });

  it("the email is throttled however its letters are cased", async () => {
    const user = await createUser();
    for (let i = 0; i < 5; i += 1) {
      await refusal(authenticate({ input: { email: i % 2 === 0 ? user.email.toUpperCase() : user.email, password: "wrong password" } }));
    }
    const error = await refusal(authenticate({ input: { email: user.email, password: TEST_PASSWORD } }));
    expect(error.kind).toBe("rate_limited");
  });

  it("a successful sign-in resets the failures", async () => {
    const user = await createUser();
    for (let i = 0; i < 4; i += 1) await refusal(authenticate({ input: { email: user.email, password: "wrong password" } }));
    await expect(authenticate({ input: { email: user.email, password: TEST_PASSWORD } })).resolves.toMatchObject({ id: user.id });
    for (let i = 0; i < 4; i += 1) await refusal(authenticate({ input: { email: user.email, password: "wrong password" } }));
    await expect(authenticate({ input: { email: user.email, password: TEST_PASSWORD } })).resolves.toMatchObject({ id: user.id });
  });

  it("an unknown email and a wrong password get the same answer", async () => {
    const user = await createUser();
    const wrongPassword = await refusal(authenticate({ input: { email: user.email, password: "not the password" } }));
    const unknownEmail = await refusal(authenticate({ input: { email: uniqueEmail("nobody"), password: "not the password" } }));
    expect(unknownEmail.kind).toBe("unauthenticated");
    expect(wrongPassword.kind).toBe("unauthenticated");
    expect(unknownEmail.message).toBe(wrongPassword.message);
    expect(unknownEmail.fieldErrors).toEqual(wrongPassword.fieldErrors);
  });

  it("30 concurrent wrong passwords for one email run exactly 5 password checks", async () => {
    const user = await createUser();
    const guesses = Array.from({ length: 30 }, (_, i) => `concurrent guess ${user.id} ${i}`);
    const errors = await Promise.all(guesses.map((password) => refusal(authenticate({ input: { email: user.email, password } }))));
    const checked = checks.passwords.filter((password) => guesses.includes(password));
    expect(checked).toHaveLength(5);
    expect(errors.filter((error) => error.kind === "unauthenticated")).toHaveLength(5);
    expect(errors.filter((error) => error.kind === "rate_limited")).toHaveLength(25);
    // Even the right password is not checked while the email is locked.
    expect((await refusal(authenticate({ input: { email: user.email, password: TEST_PASSWORD } }))).kind).toBe("rate_limited");
  });

  it("30 concurrent wrong passwords for an unknown email run exactly 5 checks too", async () => {
    const email = uniqueEmail("nobody");
    const guesses = Array.from({ length: 30 }, (_, i) => `unknown guess ${email} ${i}`);
    await Promise.all(guesses.map((password) => refusal(authenticate({ input: { email, password } }))));
    expect(checks.passwords.filter((password) => guesses.includes(password))).toHaveLength(5);
  });

  it("the right password of a suspended account releases the attempt", async () => {
    const user = await createUser({ status: "SUSPENDED" });
    for (let i = 0; i < 6; i += 1) expect((await refusal(authenticate({ input: { email: user.email, password: TEST_PASSWORD } }))).kind).toBe("forbidden");
    expect(await db.signInThrottle.findUnique({ where: { email: user.email } })).toBeNull();
  });

  it("an unknown email is throttled like a known one", async () => {
    const email = uniqueEmail("nobody");
    for (let i = 0; i < 5; i += 1) await refusal(authenticate({ input: { email, password: "not the password" } }));
    const error = await refusal(authenticate({ input: { email, password: "not the password" } }));
    expect(error.kind).toBe("rate_limited");
  });
});
