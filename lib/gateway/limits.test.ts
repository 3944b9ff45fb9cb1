import { describe, expect, it } from "vitest";
import { defaultDevelopmentScopes, type KeyScopes } from "@/lib/keys/scopes";
import { countsTowardLimits, formatReset, LimitError, LimitTracker, monthStartUtc, rateLimitHeaders, WINDOW_MS, type StoredUsage } from "./limits";

const scopes = (overrides: Partial<KeyScopes> = {}): KeyScopes => ({ ...defaultDevelopmentScopes, ...overrides });
const empty = async (): Promise<StoredUsage> => ({ events: [], monthTokens: 0 });
const T0 = Date.UTC(2026, 5, 15, 12, 0, 0);

async function refusal(promise: Promise<unknown>): Promise<LimitError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  if (!(error instanceof LimitError)) throw new Error(`expected a LimitError, got ${String(error)}`);
  return error;
}

describe("LimitTracker", () => {
  it("admits requestsPerMinute requests in a sliding minute, then refuses until the oldest leaves the window", async () => {
    const tracker = new LimitTracker(empty);
    const s = scopes({ requestsPerMinute: 2 });
    await tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 0, now: T0 });
    await tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 0, now: T0 + 30_000 });
    const error = await refusal(tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 0, now: T0 + 59_000 }));
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
    expect(error.snapshot).toMatchObject({ remainingRequests: 0, resetRequestsMs: 1_000 });
    const { snapshot } = await tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 0, now: T0 + WINDOW_MS });
    expect(snapshot.remainingRequests).toBe(0);
  });

  it("reserves tokens on admission and settles them to the actual count", async () => {
    const tracker = new LimitTracker(empty);
    const s = scopes({ tokensPerMinute: 100 });
    const { admission } = await tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 80, now: T0 });
    await refusal(tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 30, now: T0 + 1 }));
    admission.settle(50);
    const { snapshot } = await tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 30, now: T0 + 2 });
    expect(snapshot.remainingTokens).toBe(20);
  });

  it("takes a cancelled request back out entirely", async () => {
    const tracker = new LimitTracker(empty);
    const s = scopes({ requestsPerMinute: 1 });
    const { admission } = await tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 10, now: T0 });
    admission.cancel();
    const snapshot = await tracker.peek({ grantId: "g", scopes: s, now: T0 });
    expect(snapshot).toMatchObject({ remainingRequests: 1, remainingTokens: s.tokensPerMinute });
  });

  it("limits each end user separately", async () => {
    const tracker = new LimitTracker(empty);
    const s = scopes({ perEndUserRequestsPerMinute: 1 });
    await tracker.admit({ grantId: "g", scopes: s, endUserId: "a", reserveTokens: 0, now: T0 });
    await refusal(tracker.admit({ grantId: "g", scopes: s, endUserId: "a", reserveTokens: 0, now: T0 }));
    await tracker.admit({ grantId: "g", scopes: s, endUserId: "b", reserveTokens: 0, now: T0 });
  });

  it("refuses with insufficient_quota past the monthly quota and starts afresh in a new UTC month", async () => {
    const tracker = new LimitTracker(async () => ({ events: [], monthTokens: 990 }));
    const s = scopes({ monthlyTokenQuota: 1000 });
    const error = await refusal(tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 11, now: T0 }));
    expect(error).toMatchObject({ type: "insufficient_quota", code: "insufficient_quota" });
    await tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 11, now: Date.UTC(2026, 6, 1, 0, 0, 1) });
  });

  it("starts from the stored usage of the window and the month", async () => {
    const tracker = new LimitTracker(async () => ({ events: [{ at: T0 - 10_000, tokens: 40, endUserId: null }], monthTokens: 500 }));
    const snapshot = await tracker.peek({ grantId: "g", scopes: scopes({ requestsPerMinute: 5, tokensPerMinute: 100 }), now: T0 });
    expect(snapshot).toMatchObject({ remainingRequests: 4, remainingTokens: 60, resetRequestsMs: 50_000 });
  });

  it("lets no concurrent burst overshoot", async () => {
    const tracker = new LimitTracker(empty);
    const s = scopes({ requestsPerMinute: 1000, tokensPerMinute: 1000 });
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => tracker.admit({ grantId: "g", scopes: s, endUserId: null, reserveTokens: 30, now: T0 })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(33);
  });
});

describe("helpers", () => {
  it("formats reset durations like OpenAI", () => {
    expect(formatReset(0)).toBe("0s");
    expect(formatReset(6)).toBe("6ms");
    expect(formatReset(12_000)).toBe("12s");
    expect(formatReset(60_000)).toBe("1m0s");
    expect(formatReset(61_500)).toBe("1m2s");
  });

  it("names all six rate-limit headers", () => {
    const headers = rateLimitHeaders({ limitRequests: 1, remainingRequests: 0, resetRequestsMs: 5, limitTokens: 2, remainingTokens: 1, resetTokensMs: 0 });
    expect(Object.keys(headers)).toHaveLength(6);
    expect(headers["x-ratelimit-reset-requests"]).toBe("5ms");
  });

  it("counts served requests and those refused after admission, not earlier refusals", () => {
    expect(countsTowardLimits(200, null)).toBe(true);
    expect(countsTowardLimits(400, "off_topic")).toBe(true);
    expect(countsTowardLimits(504, "upstream_timeout")).toBe(true);
    expect(countsTowardLimits(429, "rate_limit_exceeded")).toBe(false);
    expect(countsTowardLimits(500, "internal_error")).toBe(false);
    expect(monthStartUtc(T0)).toBe(Date.UTC(2026, 5, 1));
  });
});
