// Authenticated keys are cached in each process, so a call needs no database query for its key. The database
// announces every change that matters (triggers -> NOTIFY "gatehouse_keys", prisma/migrations/*_key_change_notify),
// and each process LISTENs on one dedicated connection and drops the affected entries: a revocation, suspension,
// rotation or scope change reaches every instance within moments, whichever path made it. While the listener is
// down, entries live only LISTENER_DOWN_TTL_MS. Time-based states (grace end, expiry) are checked on every hit.
// Unknown secrets are cached too (briefly), so a flood of bogus keys does not reach PostgreSQL.
import "server-only";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { databaseUrl } from "@/lib/env";
import type { KeyScopes } from "@/lib/keys/scopes";
import { processSingleton } from "@/lib/process";
import { messageOf } from "@/lib/errors";
import { logSparingly } from "@/lib/log/sparing";

export const KEY_CHANNEL = "gatehouse_keys";
/** How long an entry lives while the listener is connected (changes arrive by NOTIFY; this bounds memory). */
export const LISTENING_TTL_MS = 5 * 60_000;
/** How long an entry lives while the listener is down: the longest a change can go unseen. */
export const LISTENER_DOWN_TTL_MS = 1_000;
/** How long an unknown secret is remembered. */
export const UNKNOWN_TTL_MS = 5_000;
const MAX_ENTRIES = 100_000;
/** The listener checks its connection this often (a lost one is noticed within two beats). */
const HEARTBEAT_MS = 5_000;

export interface CachedKey {
  keyId: string;
  organizationId: string;
  grantId: string;
  scopes: KeyScopes;
  suspendedAt: Date | null;
  revokedAt: Date | null;
  graceUntil: Date | null;
  grantRevokedAt: Date | null;
  organizationSuspendedAt: Date | null;
  lastUsedAt: Date | null;
}

interface Entry {
  key: CachedKey | null;
  storedAt: number;
}

export interface KeyCache {
  /** The cached key (null: known to be unknown), or undefined when it must be looked up. */
  get(hash: string, now?: number): CachedKey | null | undefined;
  /** The generation to pass to `set`: read it before looking a key up. */
  generation(): number;
  /** Stores what a lookup read, unless something was invalidated since it started (it may be stale). */
  set(hash: string, key: CachedKey | null, lookupGeneration: number, now?: number): void;
  /** Drops the entries a change announces ("grant:<id>", "org:<id>"), or everything ("*"). */
  invalidate(subject: string): void;
  /** True while the NOTIFY listener is connected. */
  isListening(): boolean;
  setListening(value: boolean): void;
  readonly size: number;
}

export function createKeyCache(): KeyCache {
  const entries = new Map<string, Entry>();
  let isListening = false;
  // Set on every drop: a lookup that started before a change must not store what it read.
  let generation = 0;

  return {
    get(hash, now = Date.now()) {
      const entry = entries.get(hash);
      if (!entry) return undefined;
      const ttl = entry.key === null ? UNKNOWN_TTL_MS : isListening ? LISTENING_TTL_MS : LISTENER_DOWN_TTL_MS;
      if (now - entry.storedAt >= ttl) {
        entries.delete(hash);
        return undefined;
      }
      return entry.key;
    },
    generation: () => generation,
    set(hash, key, lookupGeneration, now = Date.now()) {
      if (lookupGeneration !== generation) return;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(hash, { key, storedAt: now });
    },
    invalidate(subject) {
      generation += 1;
      if (subject === "*") {
        entries.clear();
        return;
      }
      const [kind, id] = subject.split(":", 2);
      for (const [hash, entry] of entries) {
        // A new key may be one that was looked up as unknown: unknown entries go on any key change.
        if (entry.key === null || (kind === "grant" && entry.key.grantId === id) || (kind === "org" && entry.key.organizationId === id)) entries.delete(hash);
      }
    },
    isListening: () => isListening,
    setListening(value) {
      isListening = value;
      if (!value) generation += 1;
    },
    get size() {
      return entries.size;
    },
  };
}

/** This bundle's reference to the process's cache (one lookup per bundle, not one per request). */
let processKeyCache: KeyCache | undefined;

export function keyCache(): KeyCache {
  return (processKeyCache ??= processSingleton("key-cache", createKeyCache));
}

/** Called by the domain functions that change keys: this process forgets at once (others hear the NOTIFY). */
export function forgetCachedKeys(): void {
  keyCache().invalidate("*");
}

/** Starts the process's one LISTEN connection; reconnects with backoff, dropping the cache whenever it was down. */
export function startKeyListener(): void {
  processSingleton("key-listener", () => {
    const cache = keyCache();
    let backoff = 250;
    let isRetrying = false;
    let wasDown = false;

    const retry = (client: pg.Client, reason: string) => {
      if (isRetrying) return;
      isRetrying = true;
      wasDown = true;
      cache.setListening(false);
      cache.invalidate("*");
      client.removeAllListeners();
      client.on("error", () => undefined);
      void client.end().catch(() => undefined);
      logSparingly("key-listener", `[gateway] key listener ${reason}; keys are re-read every ${LISTENER_DOWN_TTL_MS} ms until it is back`);
      setTimeout(() => {
        isRetrying = false;
        void connect();
      }, backoff).unref();
      backoff = Math.min(5_000, backoff * 2);
    };

    const connect = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 3_000, keepAlive: true });
      // A connection can die without an event (half-open TCP, a pooler that drops LISTEN): the listener pings itself
      // through the channel and reconnects when a ping does not come back before the next one.
      let awaitedPing: string | null = null;
      let heartbeat: NodeJS.Timeout | undefined;
      const fail = (reason: string) => {
        clearInterval(heartbeat);
        retry(client, reason);
      };
      client.on("error", (error) => fail(`lost its connection (${error.message})`));
      client.on("end", () => fail("was disconnected"));
      client.on("notification", (message) => {
        if (message.channel !== KEY_CHANNEL) return;
        const payload = message.payload ?? "*";
        if (payload.startsWith("ping:")) {
          if (payload === awaitedPing) awaitedPing = null;
          return;
        }
        cache.invalidate(payload);
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${KEY_CHANNEL}`);
        // Changes made while nobody listened are unknown: start from an empty cache.
        cache.invalidate("*");
        cache.setListening(true);
        backoff = 250;
        if (wasDown) console.log("[gateway] key listener is back; keys are cached again");
        wasDown = false;
        heartbeat = setInterval(() => {
          if (awaitedPing !== null) return fail("stopped hearing its own pings");
          awaitedPing = `ping:${randomUUID()}`;
          client.query("SELECT pg_notify($1, $2)", [KEY_CHANNEL, awaitedPing]).catch((error: unknown) => fail(`cannot ping (${messageOf(error)})`));
        }, HEARTBEAT_MS);
        heartbeat.unref();
      } catch (error) {
        fail(`cannot connect (${messageOf(error)})`);
      }
    };
    void connect();
    return true;
  });
}
