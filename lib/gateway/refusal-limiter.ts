// Refusals before admission cost parsing and a usage row each, and unknown keys a database lookup: both are limited
// cheaply with fixed one-minute windows in memory, per key and per client address. Bounded in size: past
// MAX_TRACKED identities a new one is not tracked until the window rolls over.
export const REFUSAL_WINDOW_MS = 60_000;
const MAX_TRACKED = 100_000;
/** Unauthenticated refusals (missing, malformed or unknown keys) per client address a minute. */
export const ADDRESS_REFUSALS_PER_MINUTE = 120;

/** Refusals before admission per key a minute: generous, so honest clients at their rate limit never meet it. */
export function keyRefusalLimit(requestsPerMinute: number): number {
  return Math.max(300, requestsPerMinute * 5);
}

export interface RefusalLimiter {
  isBlocked(identity: string, limit: number, now?: number): boolean;
  note(identity: string, now?: number): void;
  retryAfterSeconds(now?: number): number;
  reset(): void;
}

export function createRefusalLimiter(): RefusalLimiter {
  let windowStart = 0;
  const counts = new Map<string, number>();
  const roll = (now: number) => {
    if (now - windowStart >= REFUSAL_WINDOW_MS) {
      counts.clear();
      windowStart = now - (now % REFUSAL_WINDOW_MS);
    }
  };
  return {
    isBlocked(identity, limit, now = Date.now()) {
      roll(now);
      return (counts.get(identity) ?? 0) >= limit;
    },
    note(identity, now = Date.now()) {
      roll(now);
      const count = counts.get(identity);
      if (count === undefined && counts.size >= MAX_TRACKED) return;
      counts.set(identity, (count ?? 0) + 1);
    },
    retryAfterSeconds(now = Date.now()) {
      return Math.max(1, Math.ceil((windowStart + REFUSAL_WINDOW_MS - now) / 1000));
    },
    reset: () => counts.clear(),
  };
}

/** The client's address: the last x-forwarded-for entry (set by Next from the socket, or appended by your proxy). */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for") ?? "";
  const last = forwarded.split(",").pop()?.trim() ?? "";
  return last === "" ? "unknown" : last.slice(0, 64);
}
