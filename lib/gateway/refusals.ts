// Every way the gateway refuses a request, in one table: code -> status, OpenAI error type, message and whether a
// request refused after admission still counts toward the limits. Steps throw `refuse(code, details)`; the pipeline
// alone turns a refusal into a response. Refusals are recognised by a brand, not instanceof, because Next bundles
// instrumentation and route handlers separately (a class can exist twice in one server).
import { logger } from "@/lib/log";
import type { LimitSnapshot } from "./limits";

const REFUSAL = Symbol.for("gatehouse.refusal");

export interface RefusalDetails {
  param?: string | null;
  /** Extra words for the message (already bounded by the caller). */
  detail?: string;
  limit?: number;
  used?: number;
  requested?: number;
  /** A client-supplied value to quote; never quoted beyond QUOTE_CHARS. */
  value?: string;
  retryAfterSeconds?: number;
  requestId?: string;
  snapshot?: LimitSnapshot | null;
  /** Which limit refused (rate_limit_exceeded, insufficient_quota): counted by it in the metrics. */
  limitName?: "requests" | "tokens" | "end_user" | "quota";
}

type ErrorType = "invalid_request_error" | "authentication_error" | "permission_error" | "not_found_error" | "rate_limit_error" | "insufficient_quota" | "server_error" | "upstream_error";

interface RefusalSpec {
  status: number;
  type: ErrorType;
  /** Refused after admission: the request still counts (with no tokens). Before admission nothing counts. */
  countsTowardLimits: boolean;
  message: (details: RefusalDetails) => string;
}

/** Client-supplied values are quoted at most this long in messages, so an error never echoes unbounded input. */
export const QUOTE_CHARS = 64;

export function quote(value: string | undefined): string {
  const text = value ?? "";
  return text.length <= QUOTE_CHARS ? text : `${text.slice(0, QUOTE_CHARS)}…`;
}

const paramName = (details: RefusalDetails) => details.param ?? "body";

export const refusalTable = {
  invalid_api_key: {
    status: 401,
    type: "authentication_error",
    countsTowardLimits: false,
    message: () => "Incorrect API key provided. You can find your API keys on your organisation's Keys page.",
  },
  endpoint_not_allowed: { status: 403, type: "permission_error", countsTowardLimits: false, message: (d) => `This API key may not use the ${d.detail ?? "requested"} endpoint.` },
  model_not_allowed: { status: 403, type: "permission_error", countsTowardLimits: false, message: (d) => `This API key may not use the model '${quote(d.value)}'.` },
  model_not_found: { status: 404, type: "invalid_request_error", countsTowardLimits: false, message: (d) => `The model '${quote(d.value)}' does not exist or you do not have access to it.` },
  not_found: { status: 404, type: "invalid_request_error", countsTowardLimits: false, message: (d) => `Unknown request URL: ${quote(d.value)}. See the API reference for the available endpoints.` },
  method_not_allowed: { status: 405, type: "invalid_request_error", countsTowardLimits: false, message: (d) => `This endpoint only accepts ${d.detail ?? "other"} requests.` },
  invalid_json: { status: 400, type: "invalid_request_error", countsTowardLimits: false, message: (d) => d.detail ?? "The request body is not valid JSON." },
  request_too_large: { status: 413, type: "invalid_request_error", countsTowardLimits: false, message: (d) => `The request body exceeds the limit of ${d.limit ?? 0} bytes.` },
  request_aborted: { status: 400, type: "invalid_request_error", countsTowardLimits: false, message: () => "The request body was not received completely." },
  invalid_value: { status: 400, type: "invalid_request_error", countsTowardLimits: false, message: (d) => `Invalid value for '${paramName(d)}': ${d.detail ?? "not accepted."}` },
  missing_required_parameter: { status: 400, type: "invalid_request_error", countsTowardLimits: false, message: (d) => `Missing required parameter: '${paramName(d)}'.` },
  end_user_id_required: {
    status: 400,
    type: "invalid_request_error",
    countsTowardLimits: false,
    message: () => "This API key requires an end-user id: send `safety_identifier` (or `user`) with a stable id of your end user.",
  },
  context_length_exceeded: {
    status: 400,
    type: "invalid_request_error",
    countsTowardLimits: false,
    message: (d) =>
      d.used === undefined
        ? `This API key allows at most ${d.limit ?? 0} prompt tokens; your ${paramName(d)} is far longer. Shorten the ${paramName(d)}.`
        : `This API key allows at most ${d.limit ?? 0} prompt tokens; your request has ${d.used}. Shorten the ${paramName(d)}.`,
  },
  max_tokens_exceeded: {
    status: 400,
    type: "invalid_request_error",
    countsTowardLimits: false,
    message: (d) => `${paramName(d)} is too large: ${d.requested ?? 0}. This API key allows at most ${d.limit ?? 0} completion tokens.`,
  },
  rate_limit_exceeded: { status: 429, type: "rate_limit_error", countsTowardLimits: false, message: (d) => d.detail ?? "Rate limit reached. Please try again later." },
  insufficient_quota: {
    status: 429,
    type: "insufficient_quota",
    countsTowardLimits: false,
    message: (d) => `You exceeded your monthly token quota (${d.limit ?? 0} tokens). It renews on the first day of next month (UTC).`,
  },
  too_many_invalid_requests: {
    status: 429,
    type: "rate_limit_error",
    countsTowardLimits: false,
    message: (d) => `Too many refused requests (limit ${d.limit ?? 0} a minute${d.detail ? ` ${d.detail}` : ""}). Fix the requests and try again in ${d.retryAfterSeconds ?? 60}s.`,
  },
  off_topic: { status: 400, type: "invalid_request_error", countsTowardLimits: true, message: (d) => `This request is outside the topics approved for this key (${d.detail ?? ""}).` },
  content_policy_violation: {
    status: 400,
    type: "invalid_request_error",
    countsTowardLimits: true,
    message: (d) => `Your request was rejected by the content filter of this key (flagged: ${d.detail ?? ""}).`,
  },
  upstream_error: { status: 502, type: "upstream_error", countsTowardLimits: true, message: () => "The upstream model failed to answer. Try again later." },
  upstream_timeout: { status: 504, type: "upstream_error", countsTowardLimits: true, message: () => "The upstream model did not answer in time. Try again later." },
  // Nobody reads it (the client is gone): the status of the usage record, as nginx logs such a request.
  client_closed_request: { status: 499, type: "invalid_request_error", countsTowardLimits: true, message: () => "The client closed the connection before the answer was ready." },
  moderation_unavailable: {
    status: 503,
    type: "server_error",
    countsTowardLimits: false,
    message: () => "Content moderation is unavailable right now, so the request was not processed. Retry in a few seconds.",
  },
  service_unavailable: {
    status: 503,
    type: "server_error",
    countsTowardLimits: false,
    message: (d) => `The service is temporarily unavailable (${d.detail ?? "try again shortly"}). Retry in a few seconds.`,
  },
  internal_error: {
    status: 500,
    type: "server_error",
    countsTowardLimits: false,
    message: (d) => `The server had an error while processing your request. Quote request id ${d.requestId ?? "unknown"} when you contact us.`,
  },
} as const satisfies Record<string, RefusalSpec>;

export type RefusalCode = keyof typeof refusalTable;

export interface Refusal extends Error {
  readonly [REFUSAL]: true;
  readonly code: RefusalCode;
  readonly details: RefusalDetails;
}

/** Creates a refusal (to throw): `throw refusal("model_not_found", { param: "model", value })`. */
export function refusal(code: RefusalCode, details: RefusalDetails = {}): Refusal {
  const error = new Error(code) as Error & { [REFUSAL]: true; code: RefusalCode; details: RefusalDetails };
  error[REFUSAL] = true;
  error.code = code;
  error.details = details;
  return error;
}

/** Throws a refusal; for expressions that must be `never`. */
export function refuse(code: RefusalCode, details: RefusalDetails = {}): never {
  throw refusal(code, details);
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[REFUSAL] === true;
}

/** Whether a refusal with this code, after admission, still counts the request (unknown codes do not). */
export function refusalCountsTowardLimits(code: string | null): boolean {
  return code !== null && code in refusalTable && (refusalTable[code as RefusalCode] as RefusalSpec).countsTowardLimits;
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface RefusalView {
  code: RefusalCode;
  status: number;
  countsTowardLimits: boolean;
  body: ErrorBody;
  snapshot: LimitSnapshot | null;
  /** Retry-After in seconds, when the refusal knows when retrying will work. */
  retryAfterSeconds: number | null;
}

/** A zod path such as ["messages", 0, "content"] becomes OpenAI's "messages[0].content". */
export function paramOf(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  let param = "";
  for (const part of path) {
    if (typeof part === "number") param += `[${part}]`;
    else param += param === "" ? String(part) : `.${String(part)}`;
  }
  return param;
}

/** Turns anything thrown inside the pipeline into what the client sees; unknown errors never leak details. */
export function viewOf(error: unknown, requestId: string): RefusalView {
  const known = isRefusal(error) ? error : refusal("internal_error", { requestId });
  if (!isRefusal(error)) logger().error({ err: error, requestId }, "unexpected error in the gateway");
  const spec: RefusalSpec = refusalTable[known.code];
  const details = { ...known.details, requestId };
  const code = known.code === "internal_error" ? "internal_error" : known.code;
  return {
    code,
    status: spec.status,
    countsTowardLimits: spec.countsTowardLimits,
    body: { error: { message: spec.message(details), type: spec.type, param: known.details.param ?? null, code } },
    snapshot: known.details.snapshot ?? null,
    retryAfterSeconds: known.details.retryAfterSeconds ?? null,
  };
}
