// Accounts: sign-up, sign-in checks, password changes, and the admin's role and suspension controls.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { recordAudit } from "@/lib/audit";
import { clearFailedSignIns, recordFailedSignIn, reserveSignInAttempt } from "@/lib/auth/throttle";
import { decoyPasswordHash, hashPassword, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseInput } from "@/lib/validation";
import {
  changePasswordSchema,
  createUserSchema,
  setRoleSchema,
  setStatusSchema,
  signInSchema,
  signUpSchema,
  type Role,
  type UserStatus,
} from "./schema";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
}

const sessionUserSelect = { id: true, email: true, name: true, role: true, status: true } as const;

/** Public sign-up: always an applicant. */
export async function registerUser({ input }: { input: unknown }): Promise<SessionUser> {
  const data = parseInput(signUpSchema, input);
  return insertUser({ ...data, role: "APPLICANT" });
}

/** Trusted creation (CLI, seed): any role. */
export async function createUser({ input }: { input: unknown }): Promise<SessionUser> {
  const data = parseInput(createUserSchema, input);
  return insertUser(data);
}

async function insertUser(data: { name: string; email: string; password: string; role: Role }): Promise<SessionUser> {
  const passwordHash = await hashPassword(data.password);
  try {
    return await db.user.create({
      data: { name: data.name, email: data.email, passwordHash, role: data.role },
      select: sessionUserSelect,
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "An account with this email already exists.", {
        email: ["An account with this email already exists. Sign in instead."],
      });
    }
    throw error;
  }
}

/** Checks credentials with throttling; the same message for an unknown email and a wrong password. */
export async function authenticate({ input }: { input: unknown }): Promise<SessionUser> {
  const { email, password } = parseInput(signInSchema, input);
  // Reserved before the (slow) password check, so concurrent guesses cannot all pass a read-then-count check.
  const attempt = await reserveSignInAttempt(email);
  if (!attempt.allowed) {
    const minutes = Math.ceil(attempt.waitMs / 60_000);
    throw new AppError(
      "rate_limited",
      `Too many failed sign-ins for this email. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  }
  const user = await db.user.findUnique({ where: { email }, select: { ...sessionUserSelect, passwordHash: true } });
  const isValid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !isValid) {
    await recordFailedSignIn(email);
    throw new AppError("unauthenticated", "The email or password is incorrect.");
  }
  // The right password is not a guess: it releases the reservation even for a suspended account.
  await clearFailedSignIns(email);
  if (user.status === "SUSPENDED") {
    throw new AppError("forbidden", "This account is suspended. Contact your Gatehouse administrator.");
  }
  return { id: user.id, email: user.email, name: user.name, role: user.role, status: user.status };
}

export async function findSessionUser(id: string): Promise<SessionUser | null> {
  return db.user.findUnique({ where: { id }, select: sessionUserSelect });
}

export async function changePassword({ actor, input }: { actor: SessionUser; input: unknown }): Promise<void> {
  const data = parseInput(changePasswordSchema, input);
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user) throw new AppError("not_found", "Your account no longer exists.");
  if (!(await verifyPassword(user.passwordHash, data.currentPassword))) {
    throw new AppError("invalid", "The current password is incorrect.", {
      currentPassword: ["The current password is incorrect."],
    });
  }
  const passwordHash = await hashPassword(data.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash } });
    await recordAudit({ actorId: actor.id, action: "user.password_changed", targetType: "User", targetId: actor.id }, tx);
  });
}

export async function setUserRole({ actor, input }: { actor: SessionUser; input: unknown }): Promise<SessionUser> {
  assertAdmin(actor, "manage accounts");
  const { userId, role } = parseInput(setRoleSchema, input);
  if (userId === actor.id) throw new AppError("invalid", "You cannot change your own role; ask another administrator.");
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { role: true } });
    if (!before) throw new AppError("not_found", "That account does not exist.");
    const user = await tx.user.update({ where: { id: userId }, data: { role }, select: sessionUserSelect });
    await recordAudit(
      { actorId: actor.id, action: "user.role_changed", targetType: "User", targetId: userId, data: { from: before.role, to: role } },
      tx,
    );
    return user;
  });
}

export async function setUserStatus({ actor, input }: { actor: SessionUser; input: unknown }): Promise<SessionUser> {
  assertAdmin(actor, "manage accounts");
  const { userId, status } = parseInput(setStatusSchema, input);
  if (userId === actor.id) throw new AppError("invalid", "You cannot suspend your own account.");
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { status: true } });
    if (!before) throw new AppError("not_found", "That account does not exist.");
    const user = await tx.user.update({ where: { id: userId }, data: { status }, select: sessionUserSelect });
    const action = status === "SUSPENDED" ? "user.suspended" : "user.reinstated";
    await recordAudit({ actorId: actor.id, action, targetType: "User", targetId: userId }, tx);
    return user;
  });
}
