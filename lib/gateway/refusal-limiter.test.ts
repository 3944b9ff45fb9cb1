import { describe, expect, it } from "vitest";
import { clientAddress, createRefusalLimiter, keyRefusalLimit, REFUSAL_WINDOW_MS } from "./refusal-limiter";

/** The start of a one-minute window (windows are aligned to whole minutes). */
const W0 = Date.UTC(2026, 5, 15, 12, 0, 0);

describe("refusal limiter", () => {
  it("blocks an identity once it has `limit` refusals in the window, and no other identity", () => {
    const limiter = createRefusalLimiter();
    for (let i = 0; i < 3; i++) {
      expect(limiter.isBlocked("address:a", 3, W0 + i)).toBe(false);
      limiter.note("address:a", W0 + i);
    }
    expect(limiter.isBlocked("address:a", 3, W0 + 10)).toBe(true);
    expect(limiter.isBlocked("address:b", 3, W0 + 10)).toBe(false);
    expect(limiter.isBlocked("key:a", 3, W0 + 10)).toBe(false);
  });

  it("forgets everything when the minute rolls over, and says how long until then", () => {
    const limiter = createRefusalLimiter();
    limiter.note("address:a", W0 + 15_000);
    limiter.note("address:a", W0 + 15_000);
    expect(limiter.isBlocked("address:a", 2, W0 + 59_999)).toBe(true);
    expect(limiter.retryAfterSeconds(W0 + 15_000)).toBe(45);
    expect(limiter.retryAfterSeconds(W0 + 59_999)).toBe(1);
    expect(limiter.isBlocked("address:a", 2, W0 + REFUSAL_WINDOW_MS)).toBe(false);
    expect(limiter.retryAfterSeconds(W0 + REFUSAL_WINDOW_MS)).toBe(60);
  });

  it("stays bounded: past 100,000 identities in a window a new one is not tracked, known ones still are", () => {
    const limiter = createRefusalLimiter();
    for (let i = 0; i < 100_000; i++) limiter.note(`address:${i}`, W0);
    limiter.note("address:0", W0);
    expect(limiter.isBlocked("address:0", 2, W0)).toBe(true);
    for (let i = 0; i < 5; i++) limiter.note("address:late", W0);
    expect(limiter.isBlocked("address:late", 1, W0)).toBe(false);
    // The next window starts empty again.
    limiter.note("address:late", W0 + REFUSAL_WINDOW_MS);
    expect(limiter.isBlocked("address:late", 1, W0 + REFUSAL_WINDOW_MS)).toBe(true);
  });

  it("forgets everything on reset", () => {
    const limiter = createRefusalLimiter();
    limiter.note("key:k", W0);
    limiter.reset();
    expect(limiter.isBlocked("key:k", 1, W0)).toBe(false);
  });

  it("allows each key at least 300 refusals a minute, more for keys with a higher rate limit", () => {
    expect(keyRefusalLimit(1)).toBe(300);
    expect(keyRefusalLimit(60)).toBe(300);
    expect(keyRefusalLimit(1_000)).toBe(5_000);
  });
});

describe("client address", () => {
  const request = (forwarded?: string) => new Request("http://x/v1/models", { headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded } });

  it("is the last x-forwarded-for entry, the one added nearest the server", () => {
    expect(clientAddress(request("203.0.113.9"))).toBe("203.0.113.9");
    expect(clientAddress(request("1.1.1.1, 198.51.100.4 , 203.0.113.9 "))).toBe("203.0.113.9");
  });

  it("is 'unknown' without one, and never longer than 64 characters", () => {
    expect(clientAddress(request())).toBe("unknown");
    expect(clientAddress(request(" , "))).toBe("unknown");
    expect(clientAddress(request(`1.1.1.1, ${"f".repeat(10_000)}`))).toBe("f".repeat(64));
  });
});
