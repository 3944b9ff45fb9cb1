// The Redis limit store against a real Redis (TEST_REDIS_URL; CI sets it): all-or-nothing admission under
// concurrency at the limit edge, settle and cancel, seeding from the usage records once across stores, fail closed.
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { defaultDevelopmentScopes, type KeyScopes } from "@/lib/keys/scopes";
import type { StoredUsage } from "./limits";
import { createRedisLimitStore } from "./redis-limits";
import { isRefusal } from "./refusals";

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) console.warn("[tests] TEST_REDIS_URL is not set: the Redis limit store tests are skipped (CI sets it)");

const scopes = (overrides: Partial<KeyScopes> = {}): KeyScopes => ({ ...defaultDevelopmentScopes, ...overrides });
const empty = async (): Promise<StoredUsage> => ({ events: [], monthTokens: 0 });
const stores: { quit(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.quit()));
});

function store(url: string, loader = empty) {
  const created = createRedisLimitStore(url, loader);
  stores.push(created);
  return created;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "admitted";
  } catch (error) {
    return isRefusal(error) ? error.code : `unexpected: ${String(error)}`;
  }
}

describe.skipIf(!redisUrl)("Redis limit store", () => {
  const url = redisUrl ?? "";

  it("admits exactly requestsPerMinute of 100 concurrent requests spread over two stores (two instances)", async () => {
    const grantId = `g_${randomUUID()}`;
    const [a, b] = [store(url), store(url)];
    const s = scopes({ requestsPerMinute: 30, tokensPerMinute: 1_000_000 });
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => codeOf((i % 2 === 0 ? a : b).admit({ grantId, scopes: s, endUserId: null, reserveTokens: 1 }))));
    expect(outcomes.filter((outcome) => outcome === "admitted")).toHaveLength(30);
    expect(outcomes.filter((outcome) => outcome === "rate_limit_exceeded")).toHaveLength(70);
    expect((await a.peek({ grantId, scopes: s })).remainingRequests).toBe(0);
  });

  it("is all-or-nothing: a request refused on tokens leaves no trace on the request count, and the reverse", async () => {
    const grantId = `g_${randomUUID()}`;
    const limits = store(url);
    const s = scopes({ requestsPerMinute: 3, tokensPerMinute: 100, monthlyTokenQuota: 1_000 });
    await limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 90 });
    expect(await codeOf(limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 20 }))).toBe("rate_limit_exceeded");
    expect(await codeOf(limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 20 }))).toBe("rate_limit_exceeded");
    const snapshot = await limits.peek({ grantId, scopes: s });
    expect(snapshot).toMatchObject({ remainingRequests: 2, remainingTokens: 10 });
    await limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 5 });
    await limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 5 });
    expect(await codeOf(limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 0 }))).toBe("rate_limit_exceeded");
    expect((await limits.peek({ grantId, scopes: s })).remainingTokens).toBe(0);
  });

  it("never overshoots the monthly quota under concurrency, and settles reservations to the tokens used", async () => {
    const grantId = `g_${randomUUID()}`;
    const limits = store(url);
    const s = scopes({ requestsPerMinute: 1_000, tokensPerMinute: 1_000_000, monthlyTokenQuota: 100 });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => codeOf(limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 30 }))));
    expect(outcomes.filter((outcome) => outcome === "admitted")).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === "insufficient_quota")).toHaveLength(47);

    const other = `g_${randomUUID()}`;
    const { admission } = await limits.admit({ grantId: other, scopes: s, endUserId: null, reserveTokens: 90 });
    await admission.settle(10);
    // 10 used: a request reserving 90 fits again.
    expect(await codeOf(limits.admit({ grantId: other, scopes: s, endUserId: null, reserveTokens: 90 }))).toBe("admitted");
    const cancelled = await limits.admit({ grantId: `g_${randomUUID()}`, scopes: s, endUserId: null, reserveTokens: 100 });
    await cancelled.admission.cancel();
  });

  it("limits each end user's requests per minute", async () => {
    const grantId = `g_${randomUUID()}`;
    const limits = store(url);
    const s = scopes({ requestsPerMinute: 100, perEndUserRequestsPerMinute: 2 });
    const asUser = (endUserId: string) => codeOf(limits.admit({ grantId, scopes: s, endUserId, reserveTokens: 0 }));
    expect(await Promise.all([asUser("alice"), asUser("alice"), asUser("alice"), asUser("bob")])).toEqual(expect.arrayContaining(["admitted", "admitted", "rate_limit_exceeded", "admitted"]));
    expect(await asUser("alice")).toBe("rate_limit_exceeded");
    // The end user's refusal left the grant's count alone: 3 admitted.
    expect((await limits.peek({ grantId, scopes: s })).remainingRequests).toBe(97);
  });

  it("seeds a grant's counters from the usage records once, however many stores start at once", async () => {
    const grantId = `g_${randomUUID()}`;
    let loads = 0;
    const now = Date.now();
    const loader = async (): Promise<StoredUsage> => {
      loads += 1;
      return { events: [{ at: now - 10_000, tokens: 40, endUserId: null }, { at: now - 5_000, tokens: 0, endUserId: "u" }], monthTokens: 500 };
    };
    const s = scopes({ requestsPerMinute: 5, tokensPerMinute: 1_000, monthlyTokenQuota: 600 });
    const many = Array.from({ length: 4 }, () => store(url, loader));
    await Promise.all(many.map((limits) => limits.peek({ grantId, scopes: s })));
    expect(loads).toBe(1);
    expect(await many[0]?.peek({ grantId, scopes: s })).toMatchObject({ remainingRequests: 3, remainingTokens: 960 });
    // 500 of the month's 600 tokens were used before: 60 more fit, 50 after them do not.
    expect(await codeOf(many[1]?.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 60 }) ?? Promise.resolve())).toBe("admitted");
    expect(await codeOf(many[2]?.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 50 }) ?? Promise.resolve())).toBe("insufficient_quota");
  });

  it("seeds the counters again from the usage records when Redis has lost them (restart, FLUSHALL, eviction)", async () => {
    const grantId = `g_${randomUUID()}`;
    // The records hold what was admitted: the loader reads them as the usage writer has stored them.
    const recorded: { at: number; tokens: number }[] = [];
    let loads = 0;
    const loader = async (): Promise<StoredUsage> => {
      loads += 1;
      return { events: recorded.map((event) => ({ ...event, endUserId: null })), monthTokens: recorded.reduce((sum, event) => sum + event.tokens, 0) };
    };
    const s = scopes({ requestsPerMinute: 3, tokensPerMinute: 1_000, monthlyTokenQuota: 100 });
    const [a, b] = [store(url, loader), store(url, loader)];
    for (const limits of [a, a, b]) {
      const { admission } = await limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 30 });
      await admission.settle(30);
      recorded.push({ at: admission.at, tokens: 30 });
    }
    expect(await codeOf(b.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 1 }))).toBe("rate_limit_exceeded");
    expect(loads).toBe(1);

    // Redis loses the grant's keys, as a restart without persistence would; both stores have admitted before.
    const raw = new Redis(url);
    try {
      const lost = await raw.keys(`gatehouse:limits:{${grantId}}:*`);
      expect(lost.length).toBeGreaterThan(0);
      await raw.del(...lost);
    } finally {
      raw.disconnect();
    }
    const outcomes = await Promise.all([a, b, a, b].map((limits) => codeOf(limits.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 1 }))));
    expect(outcomes).toEqual(["rate_limit_exceeded", "rate_limit_exceeded", "rate_limit_exceeded", "rate_limit_exceeded"]);
    expect(loads).toBe(2);
    // The month's 90 tokens are back too: 10 fit, 11 do not.
    expect((await a.peek({ grantId, scopes: s })).remainingRequests).toBe(0);
    const later = Date.now() + 61_000;
    expect(await codeOf(b.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 11, now: later }))).toBe("insufficient_quota");
    expect(await codeOf(b.admit({ grantId, scopes: s, endUserId: null, reserveTokens: 10, now: later }))).toBe("admitted");
  });

  it("refuses with 503 service_unavailable when Redis cannot be reached (fail closed)", async () => {
    const limits = store("redis://127.0.0.1:1");
    const started = Date.now();
    expect(await codeOf(limits.admit({ grantId: "g", scopes: scopes(), endUserId: null, reserveTokens: 1 }))).toBe("service_unavailable");
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
