// The one place that decides whether an account may act in a role: every privileged domain function calls it.
// A suspended account holds no role at all, so each check also requires the account to be active.
import { AppError } from "@/lib/errors";
import type { Role, UserStatus } from "@/lib/users/schema";

export interface Actor {
  role: Role;
  status: UserStatus;
}

export const staffRoles = ["REVIEWER", "ADMIN"] as const satisfies readonly Role[];

/** True when the account is active and holds one of `roles`. */
export function hasRole(actor: Actor, roles: Role | readonly Role[]): boolean {
  const allowed: readonly Role[] = typeof roles === "string" ? [roles] : roles;
  return actor.status === "ACTIVE" && allowed.includes(actor.role);
}

export function isAdmin(actor: Actor): boolean {
  return hasRole(actor, "ADMIN");
}

/** Reviewers and administrators, active. */
export function isStaff(actor: Actor): boolean {
  return hasRole(actor, staffRoles);
}

/** Refuses (403) an account that is suspended or lacks every one of `roles`; `what` completes "Only ... may". */
export function assertRole(actor: Actor, roles: Role | readonly Role[], what: string): void {
  if (actor.status !== "ACTIVE") throw new AppError("forbidden", "This account is suspended.");
  if (!hasRole(actor, roles)) throw new AppError("forbidden", `Only ${describeRoles(roles)} may ${what}.`);
}

export function assertAdmin(actor: Actor, what: string): void {
  assertRole(actor, "ADMIN", what);
}

export function assertStaff(actor: Actor, what: string): void {
  assertRole(actor, staffRoles, what);
}

/** Any signed-in, active account (for functions every role may call, such as messages on one's own application). */
export function assertActive(actor: Actor): void {
  if (actor.status !== "ACTIVE") throw new AppError("forbidden", "This account is suspended.");
}

const roleNames: Record<Role, string> = { ADMIN: "administrators", REVIEWER: "reviewers", APPLICANT: "applicants" };

function describeRoles(roles: Role | readonly Role[]): string {
  const names = (typeof roles === "string" ? [roles] : roles).map((role) => roleNames[role]);
  return names.length <= 1 ? (names[0] ?? "permitted accounts") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}
