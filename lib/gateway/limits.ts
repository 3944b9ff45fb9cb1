// Step 3: requests and tokens per minute, per-end-user requests per minute and the monthly quota, per grant.
// State lives in this process (initialised from the UsageRecord rows on first use, then updated synchronously on
// admission), so concurrent requests cannot overshoot. One server process is assumed: several instances would
// need a shared store (for example PostgreSQL advisory counters or Redis) behind the same interface.
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

interface GrantState {
  events: WindowEvent[];
  monthStart: number;
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

function prune(state: GrantState, now: number): void {
  let drop = 0;
  while (drop < state.events.length && (state.events[drop]?.at ?? 0) <= now - WINDOW_MS) drop++;
  if (drop > 0) state.events.splice(0, drop);
  const monthStart = monthStartUtc(now);
  if (monthStart !== state.monthStart) {
    state.monthStart = monthStart;
    state.monthTokens = 0;
  }
}

function snapshotOf(state: GrantState, scopes: KeyScopes, now: number): LimitSnapshot {
  const windowTokens = state.events.reduce((sum, event) => sum + event.tokens, 0);
  const oldest = state.events[0];
  const oldestWithTokens = state.events.find((event) => event.tokens > 0);
  return {
    limitRequests: scopes.requestsPerMinute,
    remainingRequests: Math.max(0, scopes.requestsPerMinute - state.events.length),
    resetRequestsMs: oldest ? Math.max(0, oldest.at + WINDOW_MS - now) : 0,
    limitTokens: scopes.tokensPerMinute,
    remainingTokens: Math.max(0, scopes.tokensPerMinute - windowTokens),
    resetTokensMs: oldestWithTokens ? Math.max(0, oldestWithTokens.at + WINDOW_MS - now) : 0,
  };
}

/** The in-process store: one server process is assumed (README). */
export function createMemoryLimitStore(loader: UsageLoader): LimitStore {
  const states = new Map<string, Promise<GrantState>>();

  function stateOf(grantId: string, now: number): Promise<GrantState> {
    let state = states.get(grantId);
    if (!state) {
      const monthStart = monthStartUtc(now);
      state = loader(grantId, new Date(now - WINDOW_MS), new Date(monthStart)).then((stored) => ({
        events: stored.events.slice().sort((a, b) => a.at - b.at),
        monthStart,
        monthTokens: stored.monthTokens,
      }));
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
      const refuse = (code: "rate_limit_exceeded" | "insufficient_quota", detail: string): never => {
        throw refusal(code, { detail, limit: scopes.monthlyTokenQuota, snapshot: snapshotOf(state, scopes, at) });
      };
      if (state.events.length >= scopes.requestsPerMinute) {
        refuse("rate_limit_exceeded", `Rate limit reached for requests per minute (RPM): limit ${scopes.requestsPerMinute}. Please try again later.`);
      }
      if (endUserId !== null && scopes.perEndUserRequestsPerMinute !== null) {
        const used = state.events.reduce((count, event) => count + (event.endUserId === endUserId ? 1 : 0), 0);
        if (used >= scopes.perEndUserRequestsPerMinute) {
          refuse("rate_limit_exceeded", `Rate limit reached for requests per minute per end user: limit ${scopes.perEndUserRequestsPerMinute}. Please try again later.`);
        }
      }
      const windowTokens = state.events.reduce((sum, event) => sum + event.tokens, 0);
      if (windowTokens + reserveTokens > scopes.tokensPerMinute) {
        refuse("rate_limit_exceeded", `Rate limit reached for tokens per minute (TPM): limit ${scopes.tokensPerMinute}, used ${windowTokens}, requested ${reserveTokens}. Lower max_tokens or try again later.`);
      }
      if (state.monthTokens + reserveTokens > scopes.monthlyTokenQuota) refuse("insufficient_quota", "monthly quota");
      const event: WindowEvent = { at, tokens: reserveTokens, endUserId };
      state.events.push(event);
      state.monthTokens += reserveTokens;
      const monthStart = state.monthStart;
      let isOpen = true;
      const admission: Admission = {
        at,
        settle(tokens) {
          if (!isOpen) return;
          isOpen = false;
          if (state.monthStart === monthStart) state.monthTokens += tokens - event.tokens;
          event.tokens = tokens;
        },
        cancel() {
          if (!isOpen) return;
          isOpen = false;
          if (state.monthStart === monthStart) state.monthTokens -= event.tokens;
          const index = state.events.indexOf(event);
          if (index >= 0) state.events.splice(index, 1);
        },
      };
      return { admission, snapshot: snapshotOf(state, scopes, at) };
    },
  };
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
