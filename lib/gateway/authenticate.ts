// Step 1: Bearer secret -> the key, its grant's scopes and its organisation; every unusable key gets the same 401.
import "server-only";
import { db } from "@/lib/db";
import { keyScopesSchema, type KeyScopes } from "@/lib/keys/scopes";
import { logSparingly } from "@/lib/log/sparing";
import { hashKeySecret, looksLikeKeySecret } from "@/lib/keys/secret";
import { keyStateOf } from "@/lib/keys/status";
import { withDatabaseDeadline } from "./deadline";
import { keyCache, type CachedKey } from "./key-cache";
import { refusal } from "./refusals";

export interface KeyContext {
  keyId: string;
  organizationId: string;
  grantId: string;
  scopes: KeyScopes;
}

/** lastUsedAt is written at most this often per key, so busy keys cost no extra write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function bearerSecret(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1] ?? null;
}

interface KeyLookupRow {
  id: string;
  organizationId: string;
  grantId: string;
  suspendedAt: Date | null;
  revokedAt: Date | null;
  graceUntil: Date | null;
  lastUsedAt: Date | null;
  grantRevokedAt: Date | null;
  grantScopes: unknown;
  organizationSuspendedAt: Date | null;
}

async function lookUpKey(hash: string): Promise<CachedKey | null> {
  // One round trip: the key, its grant and its organisation in a single join.
  const [row] = await withDatabaseDeadline(db.$queryRaw<KeyLookupRow[]>`
    SELECT k.id, k."organizationId", k."grantId", k."suspendedAt", k."revokedAt", k."graceUntil", k."lastUsedAt",
           g."revokedAt" AS "grantRevokedAt", g.scopes AS "grantScopes", o."suspendedAt" AS "organizationSuspendedAt"
    FROM "ApiKey" k
    JOIN "KeyGrant" g ON g.id = k."grantId"
    JOIN "Organization" o ON o.id = k."organizationId"
    WHERE k.hash = ${hash}`);
  if (!row) return null;
  const { id, grantScopes, ...rest } = row;
  const scopes = keyScopesSchema.safeParse(grantScopes);
  if (!scopes.success) {
    // Only a hand-made change can store such scopes (every form validates them): the key is unusable, like a revoked
    // one, until the grant's scopes are saved again (which notifies every instance).
    const fields = [...new Set(scopes.error.issues.map((issue) => issue.path.join(".") || "scopes"))].join(", ");
    logSparingly(`grant-scopes:${rest.grantId}`, `[gateway] grant ${rest.grantId} has scopes that do not validate (${fields}); its keys are refused until its scopes are saved again`);
    return null;
  }
  return { ...rest, keyId: id, scopes: scopes.data };
}

/**
 * `beforeLookup` runs only when the key must be read from the database (not cached, not known to be unknown): the
 * pipeline refuses there when the client address sent too many bad keys, so a flood costs no queries while cached
 * keys from the same address keep working.
 */
export async function authenticateKey({ authorization, now = new Date(), beforeLookup }: { authorization: string | null; now?: Date; beforeLookup?: () => void }): Promise<KeyContext> {
  const secret = bearerSecret(authorization);
  if (!secret || !looksLikeKeySecret(secret)) throw refusal("invalid_api_key");
  const hash = hashKeySecret(secret);
  const cache = keyCache();
  let key = cache.get(hash, now.getTime());
  if (key === undefined) {
    beforeLookup?.();
    const generation = cache.generation();
    key = await lookUpKey(hash);
    cache.set(hash, key, generation, now.getTime());
  }
  if (!key) throw refusal("invalid_api_key");
  // The same rules the key pages show, on every call (expiry and grace end are times, not changes): only an active
  // key, or one still in its rotation grace, may call.
  const { status } = keyStateOf({ ...key, revokedReason: null, grantExpiresAt: key.scopes.expiresAt }, now);
  if (status !== "active" && status !== "grace") throw refusal("invalid_api_key");
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    key.lastUsedAt = now;
    // Fire and forget: the conditional update makes concurrent requests (and instances) write once a minute.
    void db.apiKey
      .updateMany({ where: { id: key.keyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] }, data: { lastUsedAt: now } })
      .catch((error: unknown) => console.error("[gateway] lastUsedAt update failed", error));
  }
  return { keyId: key.keyId, organizationId: key.organizationId, grantId: key.grantId, scopes: key.scopes };
}
