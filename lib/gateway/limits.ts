// Step 3: requests and tokens per minute, per-end-user requests per minute and the monthly quota, per grant.
// State lives in this process (initialised from the UsageRecord rows on first use, then updated synchronously on
// admission), so concurrent requests cannot overshoot. For several instances, the Redis store (redis-limits.ts)
// implements the same interface.
// The store is plain data and closures (no class), so it can be shared across Next's bundles (lib/process.ts).
import type { KeyScopes } from "@/lib/keys/scopes";
import { refusal, refusalCountsTowardLimits } from "./refusals";

export const WINDOW_MS = 60_000;

/** Whether a stored request counts toward the limits: answered, or refused after admission (the refusal table says). */
export function countsTowardLimits(status: number, errorCode: string | null): boolean {
  return status < 400 || refusalCountsTowardLimits(errorCode);
}

export function monthStartUtc(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function nextMonthStartUtc(monthStart: number): number {
  const date = new Date(monthStart);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

export interface WindowEvent {
  at: number;
  tokens: number;
  endUserId: string | null;
}

export interface StoredUsage {
  /** Counted requests of the last minute. */
  events: WindowEvent[];
  /** Tokens of the calendar month (UTC) so far. */
  monthTokens: number;
}

export type UsageLoader = (grantId: string, since: Date, monthStart: Date) => Promise<StoredUsage>;

/** A counted request in the window; `isGone` once it left the window or was taken back (then it no longer counts). */
interface LiveEvent extends WindowEvent {
  isGone: boolean;
}

/**
 * One grant's window with running totals, so admission costs the same at 30,000 requests a minute as at one:
 * events in time order from `head`, the count, tokens and per-end-user counts of those not gone.
 */
interface GrantState {
  events: LiveEvent[];
  head: number;
  count: number;
  windowTokens: number;
  perEndUser: Map<string, number>;
  monthStart: number;
  /** When the next month starts (the month is worked out again only then, not on every admission). */
  monthEnd: number;
  monthTokens: number;
}

export interface LimitSnapshot {
  limitRequests: number;
  remainingRequests: number;
  resetRequestsMs: number;
  limitTokens: number;
  remainingTokens: number;
  resetTokensMs: number;
}

export interface Admission {
  readonly at: number;
  /** Replaces the reserved tokens with the tokens actually used. */
  settle(tokens: number): void | Promise<void>;
  /** Takes the request back out (it failed for a reason of ours). */
  cancel(): void | Promise<void>;
}

export interface LimitStore {
  /**
   * Admits one request reserving `reserveTokens` (prompt + the most it may generate), or throws a 429 refusal
   * carrying the snapshot. Everything after the first-use load is synchronous, so admissions cannot interleave.
   */
  admit(request: { grantId: string; scopes: KeyScopes; endUserId: string | null; reserveTokens: number; now?: number }): Promise<{ admission: Admission; snapshot: LimitSnapshot }>;
  /** The current state without admitting anything (for headers on refusals before admission). */
  peek(request: { grantId: string; scopes: KeyScopes; now?: number }): Promise<LimitSnapshot>;
  /** Forgets everything (tests). */
  reset(): void;
}

function leave(state: GrantState, event: LiveEvent): void {
  event.isGone = true;
  state.count -= 1;
  state.windowTokens -= event.tokens;
  if (event.endUserId !== null) {
    const used = (state.perEndUser.get(event.endUserId) ?? 1) - 1;
    if (used > 0) state.perEndUser.set(event.endUserId, used);
    else state.perEndUser.delete(event.endUserId);
  }
}

function enter(state: GrantState, event: WindowEvent): LiveEvent {
  const live: LiveEvent = { ...event, isGone: false };
  state.events.push(live);
  state.count += 1;
  state.windowTokens += live.tokens;
  if (live.endUserId !== null) state.perEndUser.set(live.endUserId, (state.perEndUser.get(live.endUserId) ?? 0) + 1);
  return live;
}

function prune(state: GrantState, now: number): void {
  const { events } = state;
  while (state.head < events.length) {
    const event = events[state.head];
    if (!event || event.at > now - WINDOW_MS) break;
    if (!event.isGone) leave(state, event);
    state.head += 1;
  }
  // Drop the left part of the array once it is most of it (amortised O(1) per event).
  if (state.head > 1024 && state.head * 2 > events.length) {
    state.events = events.slice(state.head);
    state.head = 0;
  }
  if (now >= state.monthEnd || now < state.monthStart) {
    const monthStart = monthStartUtc(now);
    state.monthEnd = nextMonthStartUtc(monthStart);
    if (monthStart !== state.monthStart) {
      state.monthStart = monthStart;
      state.monthTokens = 0;
    }
  }
}

/** The oldest event still counted (with tokens, when asked): usually the first one looked at. */
function oldestLive(state: GrantState, withTokens: boolean): LiveEvent | undefined {
  for (let index = state.head; index < state.events.length; index++) {
    const event = state.events[index];
    if (event && !event.isGone && (!withTokens || event.tokens > 0)) return event;
  }
  return undefined;
}

function snapshotOf(state: GrantState, scopes: KeyScopes, now: number): LimitSnapshot {
  const oldest = oldestLive(state, false);
  const oldestWithTokens = oldest && oldest.tokens > 0 ? oldest : oldestLive(state, true);
  return {
    limitRequests: scopes.requestsPerMinute,
    remainingRequests: Math.max(0, scopes.requestsPerMinute - state.count),
    resetRequestsMs: oldest ? Math.max(0, oldest.at + WINDOW_MS - now) : 0,
    limitTokens: scopes.tokensPerMinute,
    remainingTokens: Math.max(0, scopes.tokensPerMinute - state.windowTokens),
    resetTokensMs: oldestWithTokens ? Math.max(0, oldestWithTokens.at + WINDOW_MS - now) : 0,
  };
}

/** The in-process store: for one server process (the Redis store serves several). */
export function createMemoryLimitStore(loader: UsageLoader): LimitStore {
  const states = new Map<string, Promise<GrantState>>();

  function stateOf(grantId: string, now: number): Promise<GrantState> {
    let state = states.get(grantId);
    if (!state) {
      const monthStart = monthStartUtc(now);
      state = loader(grantId, new Date(now - WINDOW_MS), new Date(monthStart)).then((stored) => {
        const loaded: GrantState = { events: [], head: 0, count: 0, windowTokens: 0, perEndUser: new Map(), monthStart, monthEnd: nextMonthStartUtc(monthStart), monthTokens: stored.monthTokens };
        for (const event of stored.events.slice().sort((a, b) => a.at - b.at)) enter(loaded, event);
        return loaded;
      });
      states.set(grantId, state);
      state.catch(() => states.delete(grantId));
    }
    return state;
  }

  return {
    reset: () => states.clear(),

    async peek({ grantId, scopes, now }) {
      const state = await stateOf(grantId, now ?? Date.now());
      const at = now ?? Date.now();
      prune(state, at);
      return snapshotOf(state, scopes, at);
    },

    async admit({ grantId, scopes, endUserId, reserveTokens, now }) {
      const state = await stateOf(grantId, now ?? Date.now());
      // The clock is read after the (first-use) load, so the admission time is when the request was counted.
      const at = now ?? Date.now();
      prune(state, at);
      const refuse = (limitName: "requests" | "tokens" | "end_user" | "quota", detail: string): never => {
        const code = limitName === "quota" ? "insufficient_quota" : "rate_limit_exceeded";
        const snapshot = snapshotOf(state, scopes, at);
        throw refusal(code, { detail, limit: scopes.monthlyTokenQuota, snapshot, limitName, retryAfterSeconds: retryAfterSeconds(limitName, snapshot, at) });
      };
      if (state.count >= scopes.requestsPerMinute) {
        refuse("requests", `Rate limit reached for requests per minute (RPM): limit ${scopes.requestsPerMinute}. Please try again later.`);
      }
      if (endUserId !== null && scopes.perEndUserRequestsPerMinute !== null) {
        if ((state.perEndUser.get(endUserId) ?? 0) >= scopes.perEndUserRequestsPerMinute) {
          refuse("end_user", `Rate limit reached for requests per minute per end user: limit ${scopes.perEndUserRequestsPerMinute}. Please try again later.`);
        }
      }
      const windowTokens = state.windowTokens;
      if (windowTokens + reserveTokens > scopes.tokensPerMinute) {
        refuse("tokens", `Rate limit reached for tokens per minute (TPM): limit ${scopes.tokensPerMinute}, used ${windowTokens}, requested ${reserveTokens}. Lower max_tokens or try again later.`);
      }
      if (state.monthTokens + reserveTokens > scopes.monthlyTokenQuota) refuse("quota", "monthly quota");
      const event = enter(state, { at, tokens: reserveTokens, endUserId });
      state.monthTokens += reserveTokens;
      const monthStart = state.monthStart;
      let isOpen = true;
      const admission: Admission = {
        at,
        settle(tokens) {
          if (!isOpen) return;
          isOpen = false;
          if (state.monthStart === monthStart) state.monthTokens += tokens - event.tokens;
          if (!event.isGone) state.windowTokens += tokens - event.tokens;
          event.tokens = tokens;
        },
        cancel() {
          if (!isOpen) return;
          isOpen = false;
          if (state.monthStart === monthStart) state.monthTokens -= event.tokens;
          if (!event.isGone) leave(state, event);
        },
      };
      return { admission, snapshot: snapshotOf(state, scopes, at) };
    },
  };
}

/**
 * When a request refused on `limitName` can be admitted again, in whole seconds (Retry-After, which OpenAI's SDKs wait
 * for): the window's oldest request or tokens leaving it, the end user's window (its oldest is not tracked: at most a
 * window), or the month's end for the quota.
 */
export function retryAfterSeconds(limitName: "requests" | "tokens" | "end_user" | "quota", snapshot: LimitSnapshot, now: number): number {
  const waitMs =
    limitName === "requests"
      ? snapshot.resetRequestsMs
      : limitName === "tokens"
        ? snapshot.resetTokensMs
        : limitName === "end_user"
          ? WINDOW_MS
          : nextMonthStartUtc(monthStartUtc(now)) - now;
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/** The snapshot taken at admission once the request's reservation is replaced by the tokens it used. */
export function settledSnapshot(snapshot: LimitSnapshot, reservedTokens: number, usedTokens: number): LimitSnapshot {
  const remainingTokens = Math.min(snapshot.limitTokens, Math.max(0, snapshot.remainingTokens + reservedTokens - usedTokens));
  return { ...snapshot, remainingTokens };
}

/** OpenAI's duration format for the reset headers: "6ms", "12s", "1m0s". */
export function formatReset(ms: number): string {
  if (ms <= 0) return "0s";
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

export function rateLimitHeaders(snapshot: LimitSnapshot): Record<string, string> {
  return {
    "x-ratelimit-limit-requests": String(snapshot.limitRequests),
    "x-ratelimit-remaining-requests": String(snapshot.remainingRequests),
    "x-ratelimit-reset-requests": formatReset(snapshot.resetRequestsMs),
    "x-ratelimit-limit-tokens": String(snapshot.limitTokens),
    "x-ratelimit-remaining-tokens": String(snapshot.remainingTokens),
    "x-ratelimit-reset-tokens": formatReset(snapshot.resetTokensMs),
  };
}
