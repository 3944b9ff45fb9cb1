// Key grants and API keys: issuing on approval, creating, renaming, rotating and revoking.
import "server-only";
import { assertActive, isAdmin } from "@/lib/auth/policy";
import { z } from "zod";
import { recordAudit } from "@/lib/audit";
import { forgetCachedKeys } from "@/lib/gateway/key-cache";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requireMembership } from "@/lib/organizations/access";
import type { SessionUser } from "@/lib/users/service";
import { idSchema, parseInput, plainName } from "@/lib/validation";
import { keyScopesSchema, type KeyScopes } from "./scopes";
import { generateKeySecret, type KeyKind } from "./secret";

/** Active keys one grant may have at once (rotation's outgoing key does not count). */
export const MAX_KEYS_PER_GRANT = 5;
export const MAX_GRACE_HOURS = 24;

const keyNameSchema = plainName(z.string({ error: "Name the key." }).trim().min(1, "Name the key.").max(80, "Use at most 80 characters."));

export interface IssuedKey {
  id: string;
  name: string;
  prefix: string;
  /** Shown once to the person who created the key, never stored. */
  secret: string;
}

/** Called by an approval: records the scopes that keys of this organisation may be created with. */
export async function issueKeyGrant(
  { organizationId, applicationId, kind, scopes, actorId }: { organizationId: string; applicationId: string | null; kind: KeyKind; scopes: KeyScopes; actorId: string | null },
  tx: Tx,
) {
  const parsed = parseInput(keyScopesSchema, scopes);
  const grant = await tx.keyGrant.create({ data: { organizationId, applicationId, kind, scopes: parsed } });
  await recordAudit({ actorId, action: "grant.issued", targetType: "KeyGrant", targetId: grant.id, data: { organizationId, applicationId, kind } }, tx);
  return grant;
}

/** Creates a key under a grant without an acting user (the demo seed); callers check authority. */
export async function createKeyUnderGrant(
  { grantId, name, createdById }: { grantId: string; name: string; createdById: string | null },
  tx: Tx,
): Promise<IssuedKey> {
  const grant = await tx.keyGrant.findUnique({ where: { id: grantId }, select: { id: true, organizationId: true, kind: true, revokedAt: true } });
  if (!grant || grant.revokedAt) throw new AppError("not_found", "That approval no longer allows new keys.");
  const active = await tx.apiKey.count({ where: { grantId, revokedAt: null, graceUntil: null } });
  if (active >= MAX_KEYS_PER_GRANT) {
    throw new AppError("conflict", `An approval allows at most ${MAX_KEYS_PER_GRANT} active keys. Revoke one you no longer use first.`);
  }
  const { secret, hash, prefix } = generateKeySecret(grant.kind);
  const key = await tx.apiKey.create({
    data: { grantId, organizationId: grant.organizationId, name, kind: grant.kind, prefix, hash, createdById },
    select: { id: true, name: true, prefix: true },
  });
  await recordAudit({ actorId: createdById, action: "key.created", targetType: "ApiKey", targetId: key.id, data: { grantId, prefix } }, tx);
  return { ...key, secret };
}

async function grantOf(user: SessionUser, grantId: string, tx: Tx) {
  const grant = await tx.keyGrant.findUnique({ where: { id: grantId }, select: { id: true, organizationId: true } });
  if (!grant) throw new AppError("not_found", "That approval does not exist.");
  await requireMembership({ user, organizationId: grant.organizationId }, tx);
  return grant;
}

async function keyOf(user: SessionUser, keyId: string, tx: Tx) {
  const key = await tx.apiKey.findUnique({
    where: { id: keyId },
    select: { id: true, organizationId: true, grantId: true, name: true, revokedAt: true, graceUntil: true },
  });
  if (!key) throw new AppError("not_found", "That key does not exist.");
  if (!isAdmin(user)) await requireMembership({ user, organizationId: key.organizationId }, tx);
  return key;
}

export async function createApiKey({ actor, input }: { actor: SessionUser; input: unknown }): Promise<IssuedKey> {
  assertActive(actor);
  const { grantId, name } = parseInput(z.object({ grantId: idSchema(), name: keyNameSchema }), input);
  return db.$transaction(async (tx) => {
    await grantOf(actor, grantId, tx);
    return createKeyUnderGrant({ grantId, name, createdById: actor.id }, tx);
  });
}

export async function renameApiKey({ actor, input }: { actor: SessionUser; input: unknown }): Promise<void> {
  assertActive(actor);
  const { keyId, name } = parseInput(z.object({ keyId: idSchema(), name: keyNameSchema }), input);
  await db.$transaction(async (tx) => {
    await keyOf(actor, keyId, tx);
    await tx.apiKey.update({ where: { id: keyId }, data: { name } });
    await recordAudit({ actorId: actor.id, action: "key.renamed", targetType: "ApiKey", targetId: keyId, data: { name } }, tx);
  });
}

/** Replaces a key: the new secret is returned once; the old key works for `graceHours` (0 to 24) more. */
export async function rotateApiKey({ actor, input }: { actor: SessionUser; input: unknown }): Promise<IssuedKey> {
  assertActive(actor);
  const { keyId, graceHours } = parseInput(
    z.object({
      keyId: idSchema(),
      graceHours: z.coerce.number({ error: "Choose a grace period." }).min(0, "The grace period cannot be negative.").max(MAX_GRACE_HOURS, `The grace period is at most ${MAX_GRACE_HOURS} hours.`),
    }),
    input,
  );
  const issued = await db.$transaction(async (tx) => {
    const key = await keyOf(actor, keyId, tx);
    if (key.revokedAt || key.graceUntil) throw new AppError("conflict", "Only an active key can be rotated.");
    const graceUntil = new Date(Date.now() + graceHours * 3_600_000);
    // Mark the old key first, so it no longer counts against the cap for its replacement.
    await tx.apiKey.update({ where: { id: keyId }, data: { graceUntil } });
    const next = await createKeyUnderGrant({ grantId: key.grantId, name: key.name, createdById: actor.id }, tx);
    await tx.apiKey.update({ where: { id: keyId }, data: { rotatedToId: next.id } });
    await recordAudit({ actorId: actor.id, action: "key.rotated", targetType: "ApiKey", targetId: keyId, data: { replacement: next.id, graceUntil: graceUntil.toISOString() } }, tx);
    return next;
  });
  forgetCachedKeys();
  return issued;
}

/** Applicants revoke their organisation's keys; admins revoke any key and must give a reason the applicant sees. */
export async function revokeApiKey({ actor, input }: { actor: SessionUser; input: unknown }): Promise<void> {
  assertActive(actor);
  const { keyId, reason } = parseInput(z.object({ keyId: idSchema(), reason: z.string().trim().max(500).optional().default("") }), input);
  if (isAdmin(actor) && reason === "") {
    throw new AppError("invalid", "Give a reason: the key's owners will see it.", { reason: ["Give a reason: the key's owners will see it."] });
  }
  await db.$transaction(async (tx) => {
    const key = await keyOf(actor, keyId, tx);
    if (key.revokedAt) throw new AppError("conflict", "This key is already revoked.");
    await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date(), revokedReason: reason || "Revoked by its owners.", revokedById: actor.id } });
    await recordAudit({ actorId: actor.id, action: "key.revoked", targetType: "ApiKey", targetId: keyId, data: { reason } }, tx);
  });
  forgetCachedKeys();
}
