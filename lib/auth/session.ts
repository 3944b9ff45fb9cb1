// getSessionUser(), requireUser() and requireRole(): every page, action and route handler calls one of these.
import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/users/schema";
import { findSessionUser, type SessionUser } from "@/lib/users/service";
import { canEnter, type AreaName } from "./areas";
import { authOptions } from "./options";

/** The signed-in account as it is in the database now (so suspension and role changes apply at once). */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const userId = session && "userId" in session && typeof session.userId === "string" ? session.userId : undefined;
  if (!userId) return null;
  return findSessionUser(userId);
}

/** For pages and actions: sends visitors to sign in (and back), and ends a suspended account's session. */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) {
    const path = (await headers()).get("x-gatehouse-path") ?? returnTo;
    redirect(path ? `/signin?callbackUrl=${encodeURIComponent(path)}` : "/signin");
  }
  if (user.status === "SUSPENDED") redirect("/signin/suspended");
  return user;
}

/** For pages and actions: renders the 403 page for a signed-in user without one of `roles`. */
export async function requireRole(roles: readonly Role[], returnTo?: string): Promise<SessionUser> {
  const user = await requireUser(returnTo);
  if (!roles.includes(user.role)) forbidden();
  return user;
}

export async function requireArea(area: AreaName, returnTo?: string): Promise<SessionUser> {
  const user = await requireUser(returnTo);
  if (!canEnter(user.role, area)) forbidden();
  return user;
}

/** For route handlers: throws AppError (401/403) instead of redirecting. */
export async function requireApiUser(roles?: readonly Role[]): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new AppError("unauthenticated", "Sign in first.");
  if (user.status === "SUSPENDED") throw new AppError("forbidden", "This account is suspended.");
  if (roles && !roles.includes(user.role)) throw new AppError("forbidden", "Your role may not do this.");
  return user;
}
