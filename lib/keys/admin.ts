// Admins' controls over API access: revoke any key with a reason, suspend and reinstate one key or a whole organisation.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { forgetCachedKeys } from "@/lib/gateway/key-cache";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { notifyUsers } from "@/lib/notifications";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput } from "@/lib/validation";
import { revokeApiKey } from "./service";

const suspensionSchema = z.enum(["suspend", "reinstate"], { error: "Choose suspend or reinstate." });

async function notifyMembers(organizationId: string, title: string, body: string, tx: Tx): Promise<void> {
  const members = await tx.membership.findMany({ where: { organizationId }, select: { userId: true } });
  await notifyUsers({ userIds: members.map((member) => member.userId), title, body, href: "/applicant/keys" }, tx);
}

/** Admin revocation: a reason is required (the service checks it) and the organisation's members are told. */
export async function revokeApiKeyAsAdmin({ actor, input }: { actor: SessionUser; input: unknown }): Promise<void> {
  assertAdmin(actor, "manage API access");
  const { keyId } = parseInput(z.object({ keyId: idSchema() }).loose(), input);
  await revokeApiKey({ actor, input });
  const key = await db.apiKey.findUnique({ where: { id: keyId }, select: { organizationId: true, name: true, prefix: true, revokedReason: true } });
  if (key) {
    await notifyMembers(key.organizationId, `API key “${key.name}” was revoked`, `An administrator revoked ${key.prefix}…: ${key.revokedReason ?? ""}`, db);
  }
}

const optionalReasonSchema = z
  .string()
  .trim()
  .max(500, "Keep the reason under 500 characters.")
  .optional()
  .transform((value) => (value ? value : null));

/**
 * Suspends one key inside the caller's transaction, only if it is neither suspended nor revoked: the conditional
 * update is the lock, so of two concurrent callers exactly one gets `true` (and audits and notifies).
 */
export async function suspendKeyInTx(
  { keyId, actorId, reason, data }: { keyId: string; actorId: string | null; reason: string | null; data?: Record<string, string | number> },
  tx: Tx,
): Promise<boolean> {
  const { count } = await tx.apiKey.updateMany({ where: { id: keyId, suspendedAt: null, revokedAt: null }, data: { suspendedAt: new Date(), suspendedReason: reason } });
  if (count === 0) return false;
  const key = await tx.apiKey.findUniqueOrThrow({ where: { id: keyId }, select: { name: true, prefix: true, organizationId: true } });
  await recordAudit({ actorId, action: "key.suspended", targetType: "ApiKey", targetId: keyId, data: { ...data, ...(reason ? { reason } : {}), organizationId: key.organizationId } }, tx);
  const who = actorId ? "An administrator" : "Gatehouse";
  await notifyMembers(
    key.organizationId,
    `API key “${key.name}” was suspended`,
    `${who} suspended ${key.prefix}…; it is refused until reinstated.${reason ? ` Reason: ${reason}` : ""}`,
    tx,
  );
  return true;
}

/** Suspends or reinstates one key; a suspended key is refused on its next request until reinstated. */
export async function setApiKeySuspension({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "manage API access");
  const { keyId, action, reason } = parseInput(z.object({ keyId: idSchema(), action: suspensionSchema, reason: optionalReasonSchema }), input);
  const result = await db.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: keyId }, select: { id: true, name: true, prefix: true, organizationId: true, suspendedAt: true, revokedAt: true } });
    if (!key) throw new AppError("not_found", "That key does not exist.");
    if (key.revokedAt) throw new AppError("conflict", "This key is revoked; there is nothing to suspend or reinstate.");
    if (action === "suspend") {
      if (key.suspendedAt || !(await suspendKeyInTx({ keyId, actorId: actor.id, reason }, tx))) throw new AppError("conflict", "This key is already suspended.");
      return { id: key.id, name: key.name, prefix: key.prefix, suspendedAt: new Date() as Date | null };
    }
    if (!key.suspendedAt) throw new AppError("conflict", "This key is not suspended.");
    await tx.apiKey.update({ where: { id: keyId }, data: { suspendedAt: null, suspendedReason: null } });
    await recordAudit({ actorId: actor.id, action: "key.reinstated", targetType: "ApiKey", targetId: keyId }, tx);
    await notifyMembers(key.organizationId, `API key “${key.name}” was reinstated`, `${key.prefix}… works again.`, tx);
    return { id: key.id, name: key.name, prefix: key.prefix, suspendedAt: null as Date | null };
  });
  forgetCachedKeys();
  return result;
}

/** Suspends or reinstates an organisation's API access: while suspended, every key of it is refused. */
export async function setOrganizationApiAccess({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "manage API access");
  const { organizationId, action, reason } = parseInput(z.object({ organizationId: idSchema(), action: suspensionSchema, reason: optionalReasonSchema }), input);
  const result = await db.$transaction(async (tx) => {
    const organization = await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true, name: true, suspendedAt: true } });
    if (!organization) throw new AppError("not_found", "That organisation does not exist.");
    if (action === "suspend" && organization.suspendedAt) throw new AppError("conflict", "This organisation's API access is already suspended.");
    if (action === "reinstate" && !organization.suspendedAt) throw new AppError("conflict", "This organisation's API access is not suspended.");
    const suspendedAt = action === "suspend" ? new Date() : null;
    await tx.organization.update({ where: { id: organizationId }, data: { suspendedAt, suspendedReason: action === "suspend" ? reason : null } });
    await recordAudit(
      {
        actorId: actor.id,
        action: action === "suspend" ? "organization.api_suspended" : "organization.api_reinstated",
        targetType: "Organization",
        targetId: organizationId,
        data: action === "suspend" && reason ? { reason } : {},
      },
      tx,
    );
    await notifyMembers(
      organizationId,
      action === "suspend" ? "Your organisation's API access was suspended" : "Your organisation's API access was reinstated",
      action === "suspend"
        ? `An administrator suspended API access for ${organization.name}: every key is refused until it is reinstated.${reason ? ` Reason: ${reason}` : ""}`
        : `API access for ${organization.name} works again.`,
      tx,
    );
    return { id: organization.id, name: organization.name, suspendedAt };
  });
  forgetCachedKeys();
  return result;
}
