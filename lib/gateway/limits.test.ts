import { describe, expect, it } from "vitest";
import { defaultDevelopmentScopes, type KeyScopes } from "@/lib/keys/scopes";
import { countsTowardLimits, createMemoryLimitStore, formatReset, monthStartUtc, rateLimitHeaders, WINDOW_MS, type LimitStore, type StoredUsage } from "./limits";
import { isRefusal, viewOf, type Refusal } from "./refusals";

const scopes = (overrides: Partial<KeyScopes> = {}): KeyScopes => ({ ...defaultDevelopmentScopes, ...overrides });
const empty = async (): Promise<StoredUsage> => ({ events: [], monthTokens: 0 });
const T0 = Date.UTC(2026, 5, 15, 12, 0, 0);

async function refusalOf(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isRefusal(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

function admitter(store: LimitStore, s: KeyScopes, grantId = "g") {
  return (reserveTokens: number, now: number, endUserId: string | null = null) => store.admit({ grantId, scopes: s, endUserId, reserveTokens, now });
}

describe("memory limit store", () => {
  it("keeps its running totals equal to a recount of the window through admissions, settles, cancels and time passing", async () => {
    // A seeded walk checked against the obvious model: the events of the last minute, recounted every step.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const s = scopes({ requestsPerMinute: 400, tokensPerMinute: 40_000, perEndUserRequestsPerMinute: 60, monthlyTokenQuota: 10_000_000 });
    const store = createMemoryLimitStore(empty);
    const model: { at: number; tokens: number; endUserId: string | null }[] = [];
    const open: { admission: import("./limits").Admission; event: (typeof model)[number] }[] = [];
    let now = T0;
    for (let step = 0; step < 6_000; step++) {
      now += Math.floor(random() * 400);
      const live = model.filter((event) => event.at > now - WINDOW_MS);
      const action = random();
      if (action < 0.6) {
        const endUserId = random() < 0.5 ? `user-${Math.floor(random() * 5)}` : null;
        const reserve = Math.floor(random() * 200);
        const wouldAdmit =
          live.length < s.requestsPerMinute &&
          (endUserId === null || live.filter((event) => event.endUserId === endUserId).length < (s.perEndUserRequestsPerMinute ?? Infinity)) &&
          live.reduce((sum, event) => sum + event.tokens, 0) + reserve <= s.tokensPerMinute;
        const result = await store.admit({ grantId: "g", scopes: s, endUserId, reserveTokens: reserve, now }).then(
          (admitted) => admitted,
          () => null,
        );
        expect(result !== null).toBe(wouldAdmit);
        if (result) {
          const event = { at: now, tokens: reserve, endUserId };
          model.push(event);
          open.push({ admission: result.admission, event });
        }
      } else if (open.length > 0) {
        const [item] = open.splice(Math.floor(random() * open.length), 1);
        if (!item) continue;
        if (action < 0.9) {
          const tokens = Math.floor(random() * 250);
          await item.admission.settle(tokens);
          item.event.tokens = tokens;
        } else {
          await item.admission.cancel();
          model.splice(model.indexOf(item.event), 1);
        }
      }
      const counted = model.filter((event) => event.at > now - WINDOW_MS);
      const snapshot = await store.peek({ grantId: "g", scopes: s, now });
      expect(snapshot.remainingRequests).toBe(Math.max(0, s.requestsPerMinute - counted.length));
      expect(snapshot.remainingTokens).toBe(Math.max(0, s.tokensPerMinute - counted.reduce((sum, event) => sum + event.tokens, 0)));
    }
  });

  it("admits requestsPerMinute requests in a sliding minute, then refuses with a 429 until the oldest leaves the window", async () => {
    const s = scopes({ requestsPerMinute: 2 });
    const admit = admitter(createMemoryLimitStore(empty), s);
    await admit(0, T0);
    await admit(0, T0 + 30_000);
    const error = await refusalOf(admit(0, T0 + 59_999));
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.details.snapshot).toMatchObject({ limitRequests: 2, remainingRequests: 0, resetRequestsMs: 1 });
    expect(viewOf(error, "req").body.error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expect(viewOf(error, "req").body.error.message).toContain("requests per minute (RPM): limit 2");
    // 1 ms until the first request leaves the window: Retry-After rounds up to a whole second.
    expect(viewOf(error, "req").retryAfterSeconds).toBe(1);
    // Exactly one window after the first request it no longer counts.
    const { snapshot } = await admit(0, T0 + WINDOW_MS);
    expect(snapshot).toMatchObject({ remainingRequests: 0, resetRequestsMs: 30_000 });
  });

  it("admits a reservation that reaches the token limit exactly, and refuses one token more", async () => {
    const s = scopes({ tokensPerMinute: 100, monthlyTokenQuota: 1_000 });
    const admit = admitter(createMemoryLimitStore(empty), s);
    await admit(60, T0);
    const error = await refusalOf(admit(41, T0 + 1));
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.details.snapshot).toMatchObject({ limitTokens: 100, remainingTokens: 40, resetTokensMs: WINDOW_MS - 1 });
    expect(viewOf(error, "req").body.error.message).toContain("used 60, requested 41");
    expect(viewOf(error, "req").retryAfterSeconds).toBe(60);
    const { snapshot } = await admit(40, T0 + 2);
    expect(snapshot.remainingTokens).toBe(0);
  });

  it("reserves tokens on admission and settles them to the actual count, once", async () => {
    const s = scopes({ tokensPerMinute: 100 });
    const store = createMemoryLimitStore(empty);
    const admit = admitter(store, s);
    const { admission } = await admit(80, T0);
    await refusalOf(admit(30, T0 + 1));
    admission.settle(50);
    admission.settle(5);
    admission.cancel();
    const { snapshot } = await admit(30, T0 + 2);
    expect(snapshot.remainingTokens).toBe(20);
    expect(snapshot.remainingRequests).toBe(s.requestsPerMinute - 2);
  });

  it("counts a request settled with no tokens as a request, and takes a cancelled one back out entirely", async () => {
    const s = scopes({ requestsPerMinute: 2, tokensPerMinute: 100, monthlyTokenQuota: 100 });
    const store = createMemoryLimitStore(empty);
    const admit = admitter(store, s);
    const counted = await admit(10, T0);
    counted.admission.settle(0);
    const cancelled = await admit(90, T0);
    cancelled.admission.cancel();
    cancelled.admission.settle(90);
    expect(await store.peek({ grantId: "g", scopes: s, now: T0 })).toMatchObject({ remainingRequests: 1, remainingTokens: 100 });
    // The month's quota got the cancelled reservation back too.
    await admit(100, T0 + 1);
  });

  it("limits each end user separately, and requests without an end user not at all per end user", async () => {
    const s = scopes({ perEndUserRequestsPerMinute: 1 });
    const admit = admitter(createMemoryLimitStore(empty), s);
    await admit(0, T0, "a");
    const error = await refusalOf(admit(0, T0, "a"));
    expect(viewOf(error, "req").body.error.message).toContain("per end user: limit 1");
    await admit(0, T0, "b");
    await admit(0, T0);
    await admit(0, T0);
    await admit(0, T0 + WINDOW_MS, "a");
  });

  it("refuses with insufficient_quota past the monthly quota and starts afresh in a new UTC month", async () => {
    const s = scopes({ monthlyTokenQuota: 1000 });
    const admit = admitter(createMemoryLimitStore(async () => ({ events: [], monthTokens: 990 })), s);
    await admit(10, T0);
    const error = await refusalOf(admit(1, T0 + 1));
    expect(error.code).toBe("insufficient_quota");
    expect(viewOf(error, "req")).toMatchObject({ status: 429, body: { error: { type: "insufficient_quota", code: "insufficient_quota" } } });
    expect(viewOf(error, "req").body.error.message).toContain("(1000 tokens)");
    // June 15 12:00:00.001 to July 1 00:00 UTC, in whole seconds rounded up.
    expect(viewOf(error, "req").retryAfterSeconds).toBe(15.5 * 86_400);
    await admit(1000, Date.UTC(2026, 6, 1, 0, 0, 0));
  });

  it("does not charge a settlement from last month to the new month", async () => {
    const s = scopes({ monthlyTokenQuota: 100, tokensPerMinute: 1_000 });
    const admit = admitter(createMemoryLimitStore(empty), s);
    const lastMonth = await admit(50, Date.UTC(2026, 5, 30, 23, 59, 50));
    await admit(10, Date.UTC(2026, 6, 1, 0, 0, 0));
    lastMonth.admission.settle(90);
    lastMonth.admission.cancel();
    await admit(90, Date.UTC(2026, 6, 1, 0, 0, 1));
    expect(await refusalOf(admit(1, Date.UTC(2026, 6, 1, 0, 0, 2)))).toMatchObject({ code: "insufficient_quota" });
  });

  it("starts from the stored usage of the window and the month, in any order", async () => {
    const loads: [string, Date, Date][] = [];
    const store = createMemoryLimitStore(async (grantId, since, monthStart) => {
      loads.push([grantId, since, monthStart]);
      return {
        events: [
          { at: T0 - 10_000, tokens: 40, endUserId: null },
          { at: T0 - 50_000, tokens: 0, endUserId: "u" },
        ],
        monthTokens: 500,
      };
    });
    const s = scopes({ requestsPerMinute: 5, tokensPerMinute: 100, perEndUserRequestsPerMinute: 1, monthlyTokenQuota: 600 });
    expect(await store.peek({ grantId: "g", scopes: s, now: T0 })).toMatchObject({ remainingRequests: 3, remainingTokens: 60, resetRequestsMs: 10_000, resetTokensMs: 50_000 });
    expect(loads).toEqual([["g", new Date(T0 - WINDOW_MS), new Date(Date.UTC(2026, 5, 1))]]);
    expect(await refusalOf(store.admit({ grantId: "g", scopes: s, endUserId: "u", reserveTokens: 0, now: T0 }))).toMatchObject({ code: "rate_limit_exceeded" });
    expect((await refusalOf(store.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 61, now: T0 }))).details.snapshot?.remainingTokens).toBe(60);
    await store.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 60, now: T0 });
    // The stored 40 tokens leave the window at T0 + 50 s; the month keeps them: 500 + 60 + 40 reaches the quota exactly.
    await store.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 40, now: T0 + 50_000 });
    expect(await refusalOf(store.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 1, now: T0 + 60_000 }))).toMatchObject({ code: "insufficient_quota" });
  });

  it("loads a grant once for concurrent first requests, retries a failed load, and keeps grants apart", async () => {
    const calls: string[] = [];
    let isFailing = true;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const store = createMemoryLimitStore(async (grantId) => {
      calls.push(grantId);
      if (grantId === "broken" && isFailing) throw new Error("database down");
      await gate;
      return { events: [], monthTokens: 0 };
    });
    const s = scopes({ requestsPerMinute: 3 });
    await expect(store.admit({ grantId: "broken", scopes: s, endUserId: null, reserveTokens: 0, now: T0 })).rejects.toThrow("database down");
    isFailing = false;
    const first = Array.from({ length: 10 }, () => store.admit({ grantId: "a", scopes: s, endUserId: null, reserveTokens: 0, now: T0 }));
    const other = store.admit({ grantId: "b", scopes: s, endUserId: null, reserveTokens: 0, now: T0 });
    const retried = store.admit({ grantId: "broken", scopes: s, endUserId: null, reserveTokens: 0, now: T0 });
    release();
    const results = await Promise.allSettled(first);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    await other;
    await retried;
    expect(calls.sort()).toEqual(["a", "b", "broken", "broken"]);
    store.reset();
    await store.peek({ grantId: "a", scopes: s, now: T0 });
    expect(calls.filter((grant) => grant === "a")).toHaveLength(2);
  });
});

describe("concurrent admissions at the limit edge", () => {
  it("lets no concurrent burst overshoot the tokens per minute", async () => {
    const store = createMemoryLimitStore(empty);
    const s = scopes({ requestsPerMinute: 1000, tokensPerMinute: 1000 });
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => store.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 30, now: T0 })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(33);
    expect((await store.peek({ grantId: "g", scopes: s, now: T0 })).remainingTokens).toBe(10);
  });

  it("admits exactly the remaining requests of a partly used window, whatever the clock says, while other admissions settle and cancel", async () => {
    const store = createMemoryLimitStore(async () => ({ events: Array.from({ length: 7 }, (_, i) => ({ at: Date.now() - 1_000 - i, tokens: 1, endUserId: null })), monthTokens: 7 }));
    const s = scopes({ requestsPerMinute: 10, tokensPerMinute: 1_000_000, monthlyTokenQuota: 1_000_000 });
    const burst = await Promise.allSettled(Array.from({ length: 50 }, () => store.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 5 })));
    const admitted = burst.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    expect(admitted).toHaveLength(3);
    const refusals = burst.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
    expect(refusals.every((reason) => isRefusal(reason) && reason.code === "rate_limit_exceeded" && reason.details.snapshot?.remainingRequests === 0)).toBe(true);
    // Two of the three fail for reasons of ours: their places free up for exactly two more of the next burst.
    admitted[0]?.admission.cancel();
    admitted[1]?.admission.cancel();
    admitted[2]?.admission.settle(0);
    const next = await Promise.allSettled(Array.from({ length: 20 }, () => store.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 5 })));
    expect(next.filter((result) => result.status === "fulfilled")).toHaveLength(2);
  });

  it("holds the per-end-user and the monthly limits under a concurrent burst from several end users", async () => {
    const store = createMemoryLimitStore(empty);
    const s = scopes({ requestsPerMinute: 1_000, tokensPerMinute: 1_000_000, perEndUserRequestsPerMinute: 4, monthlyTokenQuota: 1_000 });
    const users = ["u1", "u2", "u3"];
    const burst = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => store.admit({ grantId: "g", scopes: s, endUserId: users[i % users.length] ?? null, reserveTokens: 10, now: T0 })));
    expect(burst.filter((result) => result.status === "fulfilled")).toHaveLength(12);
    const quota = await Promise.allSettled(Array.from({ length: 30 }, () => store.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 100, now: T0 })));
    // 880 of 1,000 tokens left: eight reservations of 100 fit, the rest are insufficient_quota.
    expect(quota.filter((result) => result.status === "fulfilled")).toHaveLength(8);
    expect(quota.filter((result) => result.status === "rejected" && isRefusal(result.reason) && result.reason.code === "insufficient_quota")).toHaveLength(22);
  });
});

describe("helpers", () => {
  it("formats reset durations like OpenAI", () => {
    expect(formatReset(0)).toBe("0s");
    expect(formatReset(-5)).toBe("0s");
    expect(formatReset(6)).toBe("6ms");
    expect(formatReset(5.2)).toBe("6ms");
    expect(formatReset(12_000)).toBe("12s");
    expect(formatReset(60_000)).toBe("1m0s");
    expect(formatReset(61_500)).toBe("1m2s");
  });

  it("names all six rate-limit headers", () => {
    const headers = rateLimitHeaders({ limitRequests: 1, remainingRequests: 0, resetRequestsMs: 5, limitTokens: 2, remainingTokens: 1, resetTokensMs: 0 });
    expect(headers).toEqual({
      "x-ratelimit-limit-requests": "1",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": "5ms",
      "x-ratelimit-limit-tokens": "2",
      "x-ratelimit-remaining-tokens": "1",
      "x-ratelimit-reset-tokens": "0s",
    });
  });

  it("counts served requests and those refused after admission, not earlier refusals", () => {
    expect(countsTowardLimits(200, null)).toBe(true);
    expect(countsTowardLimits(400, "off_topic")).toBe(true);
    expect(countsTowardLimits(400, "content_policy_violation")).toBe(true);
    expect(countsTowardLimits(502, "upstream_error")).toBe(true);
    expect(countsTowardLimits(504, "upstream_timeout")).toBe(true);
    expect(countsTowardLimits(429, "rate_limit_exceeded")).toBe(false);
    expect(countsTowardLimits(400, "invalid_value")).toBe(false);
    expect(countsTowardLimits(500, "internal_error")).toBe(false);
    expect(countsTowardLimits(503, null)).toBe(false);
    expect(monthStartUtc(T0)).toBe(Date.UTC(2026, 5, 1));
    expect(monthStartUtc(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe(Date.UTC(2026, 11, 1));
  });
});
