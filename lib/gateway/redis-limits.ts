// The limit store shared by several instances (REDIS_URL). One Lua script checks every limit of a request
// (requests/min, tokens/min, the end user's requests/min, the month's tokens) and records all of them or none, in one
// round trip: Redis runs a script atomically, so concurrent requests on any instance cannot overshoot, and a request
// refused on one limit leaves no trace on the others. Windows are sorted sets per grant (member = admission id,
// score = time) with the reserved tokens in a hash and their sum in a counter; the month is a counter per grant and
// month. settle/cancel adjust an admission in one script. A grant's counters start from the usage records: the first
// instance to need them seeds them under a SET NX guard while the others wait. The admission script itself checks that
// the grant is seeded, so counters Redis has lost (a restart without persistence, FLUSHALL, an eviction) are seeded
// again from the records before anything more is admitted. Redis unreachable: 503 (fail closed).
import "server-only";
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import type { KeyScopes } from "@/lib/keys/scopes";
import { monthStartUtc, retryAfterSeconds, WINDOW_MS, type Admission, type LimitSnapshot, type LimitStore, type UsageLoader } from "./limits";
import { isRefusal, refusal } from "./refusals";
import { messageOf } from "@/lib/errors";

const PREFIX = "gatehouse:limits";
const SEED_WAIT_MS = 5_000;

// Drops the admissions that left the window (needs `now` and `window`; KEYS 1-3 as below), with their tokens.
const PRUNE_WINDOW = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
for _, member in ipairs(expired) do
  local tokens = tonumber(redis.call('HGET', KEYS[2], member) or '0')
  if tokens ~= 0 then redis.call('DECRBY', KEYS[3], tokens) end
  redis.call('HDEL', KEYS[2], member)
end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window) end
`;

// Returns {-1} when the grant's counters are not seeded this month (KEYS[6], the flag SEED's caller sets): the caller
// seeds them and runs the script again.
const REQUIRE_SEEDED = `if redis.call('GET', KEYS[6]) ~= 'done' then return {-1} end
`;

// KEYS: requests zset, tokens hash, token sum, month counter, end-user zset (or a placeholder), seeded flag
// ARGV: now, window, rpm, tpm, per-end-user rpm (-1 none), quota, reserve, admission id, month ttl (s)
// Returns: { admitted (1|0), refused limit (string), requests in window, tokens in window, oldest score, month tokens }
const ADMIT = `${REQUIRE_SEEDED}
local now = tonumber(ARGV[1]); local window = tonumber(ARGV[2])
local rpm = tonumber(ARGV[3]); local tpm = tonumber(ARGV[4]); local perUser = tonumber(ARGV[5])
local quota = tonumber(ARGV[6]); local reserve = tonumber(ARGV[7]); local id = ARGV[8]; local monthTtl = tonumber(ARGV[9])
${PRUNE_WINDOW}local count = redis.call('ZCARD', KEYS[1])
local windowTokens = tonumber(redis.call('GET', KEYS[3]) or '0')
local month = tonumber(redis.call('GET', KEYS[4]) or '0')
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local oldestAt = oldest[2] or ''
local refused = ''
if count >= rpm then refused = 'requests'
elseif perUser >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - window)
  if redis.call('ZCARD', KEYS[5]) >= perUser then refused = 'end_user' end
end
if refused == '' and windowTokens + reserve > tpm then refused = 'tokens' end
if refused == '' and month + reserve > quota then refused = 'quota' end
if refused ~= '' then return {0, refused, count, windowTokens, oldestAt, month} end
redis.call('ZADD', KEYS[1], now, id)
redis.call('HSET', KEYS[2], id, reserve)
redis.call('INCRBY', KEYS[3], reserve)
redis.call('INCRBY', KEYS[4], reserve)
redis.call('PEXPIRE', KEYS[1], window * 2); redis.call('PEXPIRE', KEYS[2], window * 2); redis.call('PEXPIRE', KEYS[3], window * 2)
redis.call('EXPIRE', KEYS[4], monthTtl)
if perUser >= 0 then redis.call('ZADD', KEYS[5], now, id); redis.call('PEXPIRE', KEYS[5], window * 2) end
if oldestAt == '' then oldestAt = tostring(now) end
return {1, '', count + 1, windowTokens + reserve, oldestAt, month + reserve}
`;

// KEYS: requests zset, tokens hash, token sum, month counter, end-user zset; ARGV: id, tokens (-1 = cancel), reserved
// An admission older than the window has left the window's sets: only the month is adjusted then.
const SETTLE = `
local old = redis.call('HGET', KEYS[2], ARGV[1])
local tokens = tonumber(ARGV[2])
if not old then
  local reserved = tonumber(ARGV[3])
  if tokens < 0 then redis.call('DECRBY', KEYS[4], reserved) else redis.call('INCRBY', KEYS[4], tokens - reserved) end
  return 0
end
old = tonumber(old)
if tokens < 0 then
  redis.call('ZREM', KEYS[1], ARGV[1]); redis.call('HDEL', KEYS[2], ARGV[1]); redis.call('ZREM', KEYS[5], ARGV[1])
  redis.call('DECRBY', KEYS[3], old); redis.call('DECRBY', KEYS[4], old)
  return 1
end
redis.call('HSET', KEYS[2], ARGV[1], tokens)
redis.call('INCRBY', KEYS[3], tokens - old); redis.call('INCRBY', KEYS[4], tokens - old)
return 1
`;

// KEYS: requests zset, tokens hash, token sum, (unused), (unused), seeded flag; ARGV: now, window.
// Returns { requests, tokens, oldest score }
const PEEK = `${REQUIRE_SEEDED}
local now = tonumber(ARGV[1]); local window = tonumber(ARGV[2])
${PRUNE_WINDOW}local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('ZCARD', KEYS[1]), tonumber(redis.call('GET', KEYS[3]) or '0'), oldest[2] or ''}
`;

// KEYS: requests zset, tokens hash, token sum, month counter, end-user key prefix. Seeds the window and the month.
// ARGV: window, month ttl, month tokens, then for each event: id, at, tokens, end user (or '')
const SEED = `
local window = tonumber(ARGV[1])
redis.call('SET', KEYS[4], ARGV[3], 'EX', tonumber(ARGV[2]))
local sum = 0
for i = 4, #ARGV, 4 do
  local id = ARGV[i]; local at = tonumber(ARGV[i + 1]); local tokens = tonumber(ARGV[i + 2]); local user = ARGV[i + 3]
  redis.call('ZADD', KEYS[1], at, id); redis.call('HSET', KEYS[2], id, tokens); sum = sum + tokens
  if user ~= '' then redis.call('ZADD', KEYS[5] .. user, at, id); redis.call('PEXPIRE', KEYS[5] .. user, window * 2) end
end
redis.call('SET', KEYS[3], sum)
redis.call('PEXPIRE', KEYS[1], window * 2); redis.call('PEXPIRE', KEYS[2], window * 2); redis.call('PEXPIRE', KEYS[3], window * 2)
return 1
`;

function monthKey(now: number): string {
  const date = new Date(monthStartUtc(now));
  return `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** Seconds to keep a month counter: to the end of the next month, so a counter never outlives its use. */
function monthTtlSeconds(now: number): number {
  const date = new Date(now);
  return Math.ceil((Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 2, 1) - now) / 1000);
}

function keysOf(grantId: string, month: string) {
  // A hash tag keeps one grant's keys in one slot of a Redis Cluster.
  const base = `${PREFIX}:{${grantId}}`;
  return { requests: `${base}:requests`, tokens: `${base}:tokens`, sum: `${base}:sum`, month: `${base}:month:${month}`, endUser: `${base}:user:`, seeded: `${base}:seeded:${month}` };
}

type GrantKeys = ReturnType<typeof keysOf>;

function unavailable(error: unknown): never {
  if (isRefusal(error)) throw error;
  console.error("[gateway] Redis is unavailable; refusing API requests (fail closed):", messageOf(error));
  throw refusal("service_unavailable", { detail: "the limit store is unavailable" });
}

export function createRedisLimitStore(url: string, loader: UsageLoader): LimitStore & { quit(): Promise<void> } {
  const redis = new Redis(url, {
    // Fail fast: a command while disconnected errors at once instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  redis.on("error", (error: Error) => console.error("[gateway] Redis:", error.message));
  /** Seeding under way in this process, by grant and month: concurrent requests wait for one. */
  const seeding = new Map<string, Promise<void>>();
  let hasBeenReady = false;
  redis.on("ready", () => (hasBeenReady = true));

  /** The first use waits for the connection (up to 2 s); after a loss, commands fail at once until it is back. */
  async function ready(): Promise<void> {
    if (redis.status === "ready" || hasBeenReady) return;
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off("ready", onReady);
        reject(new Error("Redis is not reachable"));
      }, 2_000);
      redis.once("ready", onReady);
    });
  }

  /** Makes sure the grant's counters in Redis started from the usage records (once, across every instance). */
  async function ensureSeeded(grantId: string, now: number): Promise<void> {
    const keys = keysOf(grantId, monthKey(now));
    const claimed = await redis.set(keys.seeded, `seeding:${randomUUID()}`, "PX", SEED_WAIT_MS * 2, "NX");
    if (claimed === "OK") {
      try {
        const monthStart = monthStartUtc(now);
        const stored = await loader(grantId, new Date(now - WINDOW_MS), new Date(monthStart));
        const args: (string | number)[] = [WINDOW_MS, monthTtlSeconds(now), stored.monthTokens];
        for (const event of stored.events) args.push(`seed:${randomUUID()}`, event.at, event.tokens, event.endUserId ?? "");
        await redis.eval(SEED, 5, keys.requests, keys.tokens, keys.sum, keys.month, keys.endUser, ...args);
        // Seeded for as long as the month counter lives; should Redis lose its data, the flag goes with it.
        await redis.set(keys.seeded, "done", "EX", monthTtlSeconds(now));
      } catch (error) {
        await redis.del(keys.seeded).catch(() => undefined);
        throw error;
      }
      return;
    }
    // Another instance is seeding: wait for it (should it fail, its flag is gone: seed here instead).
    const deadline = Date.now() + SEED_WAIT_MS;
    for (;;) {
      const state = await redis.get(keys.seeded);
      if (state === "done") return;
      if (state === null) return ensureSeeded(grantId, now);
      if (Date.now() > deadline) throw new Error(`seeding the counters of grant ${grantId} took too long`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  function seed(grantId: string, now: number): Promise<void> {
    const cacheKey = `${grantId}:${monthKey(now)}`;
    let running = seeding.get(cacheKey);
    if (!running) {
      running = ensureSeeded(grantId, now).finally(() => seeding.delete(cacheKey));
      seeding.set(cacheKey, running);
    }
    return running;
  }

  /**
   * Runs a script that starts with REQUIRE_SEEDED for the grant, with the grant's keys of the month it runs in (the six
   * `scriptKeys` picks) and `argsAt` its time: when the counters are not seeded it seeds them and runs it again.
   */
  async function runSeeded<T>(
    grantId: string,
    script: string,
    scriptKeys: (keys: GrantKeys) => string[],
    argsAt: (at: number) => (string | number)[],
    now?: number,
  ): Promise<{ at: number; keys: GrantKeys; result: T }> {
    for (let attempt = 1; ; attempt++) {
      const at = now ?? Date.now();
      const keys = keysOf(grantId, monthKey(at));
      const result = (await redis.eval(script, 6, ...scriptKeys(keys), ...argsAt(at))) as T & unknown[];
      if (result[0] !== -1) return { at, keys, result };
      if (attempt === 3) throw new Error(`the counters of grant ${grantId} are not seeded`);
      await seed(grantId, at);
    }
  }

  const snapshotOf = (scopes: KeyScopes, requests: number, tokens: number, oldestAt: string, now: number): LimitSnapshot => {
    const resetMs = oldestAt === "" ? 0 : Math.max(0, Number(oldestAt) + WINDOW_MS - now);
    return {
      limitRequests: scopes.requestsPerMinute,
      remainingRequests: Math.max(0, scopes.requestsPerMinute - requests),
      resetRequestsMs: resetMs,
      limitTokens: scopes.tokensPerMinute,
      remainingTokens: Math.max(0, scopes.tokensPerMinute - tokens),
      resetTokensMs: tokens > 0 ? resetMs : 0,
    };
  };

  return {
    reset: () => seeding.clear(),
    quit: async () => {
      await redis.quit().catch(() => undefined);
    },

    async peek({ grantId, scopes, now }) {
      try {
        await ready();
        const { at, result } = await runSeeded<[number, number, string]>(
          grantId,
          PEEK,
          (keys) => [keys.requests, keys.tokens, keys.sum, keys.month, keys.endUser, keys.seeded],
          (time) => [time, WINDOW_MS],
          now,
        );
        const [requests, tokens, oldestAt] = result;
        return snapshotOf(scopes, requests, tokens, oldestAt, at);
      } catch (error) {
        return unavailable(error);
      }
    },

    async admit({ grantId, scopes, endUserId, reserveTokens, now }) {
      const id = randomUUID();
      const perUser = endUserId !== null && scopes.perEndUserRequestsPerMinute !== null ? scopes.perEndUserRequestsPerMinute : -1;
      let at: number;
      let keys: GrantKeys;
      let result: [number, string, number, number, string, number];
      try {
        await ready();
        ({ at, keys, result } = await runSeeded<typeof result>(
          grantId,
          ADMIT,
          (grant) => [grant.requests, grant.tokens, grant.sum, grant.month, `${grant.endUser}${endUserId ?? ""}`, grant.seeded],
          (time) => [time, WINDOW_MS, scopes.requestsPerMinute, scopes.tokensPerMinute, perUser, scopes.monthlyTokenQuota, reserveTokens, id, monthTtlSeconds(time)],
          now,
        ));
      } catch (error) {
        return unavailable(error);
      }
      const [admitted, refusedLimit, requests, tokens, oldestAt, monthTokens] = result;
      const snapshot = snapshotOf(scopes, requests, tokens, oldestAt, at);
      if (admitted !== 1) {
        const detail =
          refusedLimit === "requests"
            ? `Rate limit reached for requests per minute (RPM): limit ${scopes.requestsPerMinute}. Please try again later.`
            : refusedLimit === "end_user"
              ? `Rate limit reached for requests per minute per end user: limit ${scopes.perEndUserRequestsPerMinute ?? 0}. Please try again later.`
              : `Rate limit reached for tokens per minute (TPM): limit ${scopes.tokensPerMinute}, used ${tokens}, requested ${reserveTokens}. Lower max_tokens or try again later.`;
        const limitName = refusedLimit === "quota" || refusedLimit === "end_user" || refusedLimit === "requests" ? refusedLimit : "tokens";
        throw refusal(limitName === "quota" ? "insufficient_quota" : "rate_limit_exceeded", {
          detail,
          limit: scopes.monthlyTokenQuota,
          used: monthTokens,
          snapshot,
          limitName,
          retryAfterSeconds: retryAfterSeconds(limitName, snapshot, at),
        });
      }
      const userKey = `${keys.endUser}${endUserId ?? ""}`;
      let isOpen = true;
      const adjust = async (tokensUsed: number) => {
        if (!isOpen) return;
        isOpen = false;
        await redis.eval(SETTLE, 5, keys.requests, keys.tokens, keys.sum, keys.month, userKey, id, tokensUsed, reserveTokens).catch((error: unknown) => {
          // The reservation stays counted (never under-counted); the usage record is still written.
          console.error("[gateway] settling a Redis admission failed; its reservation stays counted:", messageOf(error));
        });
      };
      const admission: Admission = {
        at,
        settle: (tokensUsed) => adjust(tokensUsed),
        cancel: () => adjust(-1),
      };
      return { admission, snapshot };
    },
  };
}
