// API key secrets: a kind prefix and 32 random bytes; only the SHA-256 hash and a display prefix are stored.
import { createHash, randomBytes } from "node:crypto";

export type KeyKind = "DEVELOPMENT" | "LIVE";

const kindPrefix: Record<KeyKind, string> = { DEVELOPMENT: "gk_dev_", LIVE: "gk_live_" };
const DISPLAY_CHARS = 4;

export function generateKeySecret(kind: KeyKind): { secret: string; hash: string; prefix: string } {
  const secret = `${kindPrefix[kind]}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashKeySecret(secret), prefix: displayPrefix(secret) };
}

export function hashKeySecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** "gk_dev_AbCd": enough to tell keys apart, far too little to guess the rest. */
export function displayPrefix(secret: string): string {
  const kindEnd = secret.indexOf("_", 3) + 1;
  return secret.slice(0, kindEnd + DISPLAY_CHARS);
}

/** Cheap shape check before any database lookup. */
export function looksLikeKeySecret(value: string): boolean {
  return /^gk_(dev|live)_[A-Za-z0-9_-]{43}$/.test(value);
}
