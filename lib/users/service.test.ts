import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { isAppError, type AppError } from "@/lib/errors";
import { authenticate, changePassword, registerUser, setUserRole, setUserStatus, type SessionUser } from "@/lib/users/service";
import { createUser, TEST_PASSWORD, uniqueEmail } from "@/tests/support/factories";

describe("accounts", () => {
  it("signs up a new applicant and authenticates them", async () => {
    const email = uniqueEmail();
    const user = await registerUser({ input: { name: "New", email: email.toUpperCase(), password: "long enough password" } });
    expect(user).toMatchObject({ email, role: "APPLICANT", status: "ACTIVE" });
    await expect(authenticate({ input: { email, password: "long enough password" } })).resolves.toMatchObject({ id: user.id });
  });

  it("a non-admin cannot change roles", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const target = await createUser();
    await expect(setUserRole({ actor: reviewer, input: { userId: target.id, role: "ADMIN" } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(setUserStatus({ actor: reviewer, input: { userId: target.id, status: "SUSPENDED" } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("a suspended user cannot sign in", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const target = await createUser();
    await setUserStatus({ actor: admin, input: { userId: target.id, status: "SUSPENDED" } });
    await expect(authenticate({ input: { email: target.email, password: TEST_PASSWORD } })).rejects.toMatchObject({ kind: "forbidden" });
  });
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

function auditRowsFor(targetId: string) {
  return db.auditLog.findMany({ where: { targetId }, orderBy: { createdAt: "asc" }, select: { actorId: true, action: true, targetType: true, targetId: true, data: true } });
}

async function stored(user: SessionUser) {
  return db.user.findUniqueOrThrow({ where: { id: user.id }, select: { role: true, status: true } });
}

describe("sign-up", () => {
  it("an email already registered in other letter case is refused as a conflict on the email field", async () => {
    const email = uniqueEmail();
    await registerUser({ input: { name: "First", email, password: "long enough password" } });

    const error = await refusal(registerUser({ input: { name: "Second", email: email.toUpperCase(), password: "another long password" } }));

    expect(error.kind).toBe("conflict");
    expect(error.fieldErrors.email).toEqual([expect.stringMatching(/already exists/)]);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("invalid input is refused with a message for each field and creates nothing", async () => {
    const before = await db.user.count();

    const error = await refusal(registerUser({ input: { name: "   ", email: "not-an-email", password: "short" } }));

    expect(error.kind).toBe("invalid");
    expect(error.fieldErrors).toEqual({
      name: ["Enter your name."],
      email: ["Enter a valid email address, like name@example.com."],
      password: ["Use at least 10 characters."],
    });
    expect(await db.user.count()).toBe(before);
  });

  it("a password of only spaces is refused, a passphrase with spaces is not", async () => {
    const error = await refusal(registerUser({ input: { name: "Spacey", email: uniqueEmail(), password: " ".repeat(12) } }));
    expect(error.fieldErrors).toEqual({ password: ["A password cannot be only spaces."] });
    const user = await registerUser({ input: { name: "Phrasey", email: uniqueEmail(), password: " correct horse battery " } });
    expect(user.name).toBe("Phrasey");
  });

  it("missing fields are each reported", async () => {
    const error = await refusal(registerUser({ input: {} }));
    expect(error.kind).toBe("invalid");
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["email", "name", "password"]);
  });

  it("public sign-up cannot choose a role", async () => {
    const user = await registerUser({ input: { name: "Sneaky", email: uniqueEmail(), password: "long enough password", role: "ADMIN" } });
    expect(user.role).toBe("APPLICANT");
  });
});

describe("changePassword", () => {
  const newPassword = "a brand new passphrase";

  it("a wrong current password is refused and the old password keeps working", async () => {
    const user = await createUser();

    const error = await refusal(
      changePassword({ actor: user, input: { currentPassword: "not my password", newPassword, confirmPassword: newPassword } }),
    );

    expect(error.kind).toBe("invalid");
    expect(error.fieldErrors.currentPassword).toEqual(["The current password is incorrect."]);
    await expect(authenticate({ input: { email: user.email, password: TEST_PASSWORD } })).resolves.toMatchObject({ id: user.id });
    expect(await auditRowsFor(user.id)).toEqual([]);
  });

  it("the new password signs in, the old one no longer does, and the change is audited", async () => {
    const user = await createUser();

    await changePassword({ actor: user, input: { currentPassword: TEST_PASSWORD, newPassword, confirmPassword: newPassword } });

    await expect(authenticate({ input: { email: user.email, password: newPassword } })).resolves.toMatchObject({ id: user.id });
    await expect(authenticate({ input: { email: user.email, password: TEST_PASSWORD } })).rejects.toMatchObject({ kind: "unauthenticated" });
    expect(await auditRowsFor(user.id)).toEqual([
      { actorId: user.id, action: "user.password_changed", targetType: "User", targetId: user.id, data: {} },
    ]);
  });

  it("a confirmation that differs is refused on the confirmation field", async () => {
    const user = await createUser();
    const error = await refusal(
      changePassword({ actor: user, input: { currentPassword: TEST_PASSWORD, newPassword, confirmPassword: `${newPassword}!` } }),
    );
    expect(error.kind).toBe("invalid");
    expect(error.fieldErrors.confirmPassword).toEqual(["The two new passwords differ."]);
    await expect(authenticate({ input: { email: user.email, password: TEST_PASSWORD } })).resolves.toMatchObject({ id: user.id });
  });
});

describe("admin account controls", () => {
  it("an admin changes a user's role and the change is audited with actor, target and both roles", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const target = await createUser();

    const updated = await setUserRole({ actor: admin, input: { userId: target.id, role: "REVIEWER" } });

    expect(updated).toMatchObject({ id: target.id, role: "REVIEWER" });
    expect(await stored(target)).toEqual({ role: "REVIEWER", status: "ACTIVE" });
    expect(await auditRowsFor(target.id)).toEqual([
      { actorId: admin.id, action: "user.role_changed", targetType: "User", targetId: target.id, data: { from: "APPLICANT", to: "REVIEWER" } },
    ]);
  });

  it("an admin suspends and reinstates a user and each change is audited", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const target = await createUser();

    await expect(setUserStatus({ actor: admin, input: { userId: target.id, status: "SUSPENDED" } })).resolves.toMatchObject({ status: "SUSPENDED" });
    await expect(setUserStatus({ actor: admin, input: { userId: target.id, status: "ACTIVE" } })).resolves.toMatchObject({ status: "ACTIVE" });

    expect(await stored(target)).toEqual({ role: "APPLICANT", status: "ACTIVE" });
    // Both rows may carry the same millisecond, so compare them without relying on order.
    const rows = (await auditRowsFor(target.id)).map(({ actorId, action, targetType }) => ({ actorId, action, targetType }));
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        { actorId: admin.id, action: "user.suspended", targetType: "User" },
        { actorId: admin.id, action: "user.reinstated", targetType: "User" },
      ]),
    );
  });

  it("an admin cannot change their own role", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const error = await refusal(setUserRole({ actor: admin, input: { userId: admin.id, role: "APPLICANT" } }));
    expect(error.kind).toBe("invalid");
    expect(await stored(admin)).toEqual({ role: "ADMIN", status: "ACTIVE" });
    expect(await auditRowsFor(admin.id)).toEqual([]);
  });

  it("an admin cannot suspend themselves", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const error = await refusal(setUserStatus({ actor: admin, input: { userId: admin.id, status: "SUSPENDED" } }));
    expect(error.kind).toBe("invalid");
    expect(await stored(admin)).toEqual({ role: "ADMIN", status: "ACTIVE" });
    expect(await auditRowsFor(admin.id)).toEqual([]);
  });

  it.each(["APPLICANT", "REVIEWER"] as const)("a %s can neither change roles nor suspend, and nothing changes", async (role) => {
    const actor = await createUser({ role });
    const target = await createUser();

    expect((await refusal(setUserRole({ actor, input: { userId: target.id, role: "ADMIN" } }))).kind).toBe("forbidden");
    expect((await refusal(setUserStatus({ actor, input: { userId: target.id, status: "SUSPENDED" } }))).kind).toBe("forbidden");
    // Not even on their own account.
    expect((await refusal(setUserRole({ actor, input: { userId: actor.id, role: "ADMIN" } }))).kind).toBe("forbidden");

    expect(await stored(target)).toEqual({ role: "APPLICANT", status: "ACTIVE" });
    expect(await stored(actor)).toEqual({ role, status: "ACTIVE" });
    expect(await auditRowsFor(target.id)).toEqual([]);
  });

  it("a suspended admin is refused", async () => {
    const admin = await createUser({ role: "ADMIN", status: "SUSPENDED" });
    const target = await createUser();

    expect((await refusal(setUserRole({ actor: admin, input: { userId: target.id, role: "REVIEWER" } }))).kind).toBe("forbidden");
    expect((await refusal(setUserStatus({ actor: admin, input: { userId: target.id, status: "SUSPENDED" } }))).kind).toBe("forbidden");
    expect(await stored(target)).toEqual({ role: "APPLICANT", status: "ACTIVE" });
  });

  it("an unknown user id is reported as not found", async () => {
    const admin = await createUser({ role: "ADMIN" });
    expect((await refusal(setUserRole({ actor: admin, input: { userId: "no-such-user", role: "REVIEWER" } }))).kind).toBe("not_found");
    expect((await refusal(setUserStatus({ actor: admin, input: { userId: "no-such-user", status: "SUSPENDED" } }))).kind).toBe("not_found");
    expect(await auditRowsFor("no-such-user")).toEqual([]);
  });

  it("an unknown role is refused as invalid", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const target = await createUser();
    const error = await refusal(setUserRole({ actor: admin, input: { userId: target.id, role: "SUPERUSER" } }));
    expect(error.kind).toBe("invalid");
    expect(error.fieldErrors.role).toEqual(["Choose a role."]);
  });
});
