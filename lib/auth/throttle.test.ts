import { describe, expect, it } from "vitest";
import { clearFailedSignIns, lockedFor, recordFailedSignIn } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { authenticate } from "@/lib/users/service";
import { createUser, TEST_PASSWORD, uniqueEmail } from "@/tests/support/factories";

const MINUTE = 60_000;

function at(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * MINUTE);
}

async function failTimes(email: string, count: number, now = new Date()): Promise<void> {
  for (let i = 0; i < count; i += 1) await recordFailedSignIn(email, now);
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
    for (const minute of [0, 3, 6, 9, 14]) await recordFailedSignIn(email, at(start, minute));
    expect(await lockedFor(email, at(start, 14))).toBe(15 * MINUTE);
  });

  it("a failure after the 15-minute window starts the count again", async () => {
    const email = uniqueEmail();
    const start = new Date();
    await failTimes(email, 4, start);
    const later = at(start, 16);
    await failTimes(email, 4, later);
    expect(await lockedFor(email, later)).toBe(0);
    await recordFailedSignIn(email, later);
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

  it("counts every one of ten concurrent failures", async () => {
    const email = uniqueEmail();
    const now = new Date();
    await Promise.all(Array.from({ length: 10 }, () => recordFailedSignIn(email, now)));
    expect(await db.signInThrottle.findUnique({ where: { email } })).toMatchObject({ failures: 10 });
    expect(await lockedFor(email, now)).toBe(15 * MINUTE);
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

  it("an unknown email is throttled like a known one", async () => {
    const email = uniqueEmail("nobody");
    for (let i = 0; i < 5; i += 1) await refusal(authenticate({ input: { email, password: "not the password" } }));
    const error = await refusal(authenticate({ input: { email, password: "not the password" } }));
    expect(error.kind).toBe("rate_limited");
  });
});
