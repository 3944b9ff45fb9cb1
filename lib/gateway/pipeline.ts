// The one pipeline of every /v1 request, in this order (`handle` and `runSteps` below):
//   guards (stopping, record buffer full) -> authenticate (unknown keys limited per address) -> refusals of this key
//   -> authorise the endpoint -> parse -> prepare -> admit -> topic -> moderate input -> respond (generate,
//   moderate output, answer) -> settle -> record.
// Endpoints (lib/gateway/endpoints.ts) supply only parse, prepare and respond. A step refuses with a code; this is the
// only place that turns a refusal into a response (lib/gateway/refusals.ts), settles or cancels the admission and
// records usage.
import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { ApiEndpoint } from "@/lib/keys/scopes";
import { pooledRandomBytes } from "@/lib/random";
import { authenticateKey, type KeyContext } from "./authenticate";
import { authorizeEndpoint } from "./authorize";
import { withDatabaseDeadline } from "./deadline";
import { rateLimitHeaders, settledSnapshot, type Admission, type LimitSnapshot } from "./limits";
import { moderateInput, type ModerationContext } from "./moderate";
import { observeFlag, observeRequest } from "./observe";
import { ADDRESS_REFUSALS_PER_MINUTE, clientAddress, keyRefusalLimit } from "./refusal-limiter";
import { isRefusal, paramOf, refusal, refusalCountsTowardLimits, viewOf, type RefusalDetails, type RefusalView } from "./refusals";
import type { GatewayRuntime } from "./runtime";
import { checkTopic } from "./topics";

export function newRequestId(): string {
  return `req_${pooledRandomBytes(12).toString("hex")}`;
}

/** What one request accumulates on its way through the steps; the usage record is written from it. */
export interface RequestState {
  readonly runtime: GatewayRuntime;
  readonly requestId: string;
  readonly endpoint: ApiEndpoint;
  readonly key: KeyContext;
  readonly startedAt: number;
  model: string;
  /** The limit that refused the request, if one did (metrics). */
  limitName?: RefusalDetails["limitName"];
  endUserId: string | null;
  promptTokens: number;
  completionTokens: number;
  isFlagged: boolean;
  admission: Admission | null;
  /** Tokens the admission reserved (its snapshot counts them; settling replaces them with those used). */
  reservedTokens: number;
  snapshot: LimitSnapshot | null;
  /** A streamed answer: settles when the stream has ended (or the client went away); usage is recorded then. */
  completion: Promise<void> | null;
  /** A failure after a stream's headers were sent (recorded as the request's outcome). */
  streamError: { status: number; code: string } | null;
  /** Aborted when the client closes its connection before the answer has been sent (the request's own signal). */
  readonly clientSignal: AbortSignal;
}

/** Admits the request against the grant's limits, reserving `reserveTokens`. */
export async function admit(state: RequestState, reserveTokens: number): Promise<void> {
  const admitting = state.runtime.limits.admit({ grantId: state.key.grantId, scopes: state.key.scopes, endUserId: state.endUserId, reserveTokens });
  const { admission, snapshot } = await withDatabaseDeadline(admitting).catch((error: unknown) => {
    // Refused for time: an admission that still comes through later is taken back, never left reserved.
    void admitting.then(({ admission: late }) => late.cancel()).catch(() => undefined);
    throw error;
  });
  state.admission = admission;
  state.reservedTokens = reserveTokens;
  state.snapshot = snapshot;
}

export function moderationContext(state: RequestState): ModerationContext {
  const { recorder } = state.runtime;
  return {
    requestId: state.requestId,
    apiKeyId: state.key.keyId,
    organizationId: state.key.organizationId,
    provider: state.runtime.config.moderation,
    record: (row) => {
      if (row.kind === "moderation") observeFlag(row.entry.direction);
      recorder.record(row);
    },
  };
}

/**
 * A union's own issue says only "Invalid input": the reason is in the branch the value matched best, the one with the
 * fewest values of the wrong type, then the one whose first issue lies deepest (a branch of the wrong type altogether
 * fails at the union itself). Five stop sequences are a list with one too many; an image part is a part of the wrong
 * type; 33 moderation inputs are a list of strings, one too long, not 33 parts that are not objects.
 */
function specificIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union") return issue;
  let best: { issue: z.core.$ZodIssue; wrongTypes: number } | undefined;
  for (const branch of issue.errors) {
    const [first] = branch;
    if (!first || (first.code === "invalid_type" && first.path.length === 0)) continue;
    const wrongTypes = branch.filter((inner) => inner.code === "invalid_type").length;
    if (!best || wrongTypes < best.wrongTypes || (wrongTypes === best.wrongTypes && first.path.length > best.issue.path.length)) best = { issue: first, wrongTypes };
  }
  return best ? specificIssue({ ...best.issue, path: [...issue.path, ...best.issue.path] }) : issue;
}

/** Parses with zod; a failure is a 400 naming the parameter (OpenAI's `param`), never echoing the value. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const issue = first ? specificIssue(first) : undefined;
  const param = issue ? paramOf(issue.path) : null;
  const isMissing = issue?.code === "invalid_type" && issue.message.endsWith("received undefined");
  if (isMissing) throw refusal("missing_required_parameter", { param });
  throw refusal("invalid_value", { param, detail: issue?.message ?? "not accepted." });
}

/** What an endpoint supplies to the pipeline. */
export interface Endpoint<Parsed> {
  /** Reads and validates the request; names the model and the end user on the state. */
  parse(state: RequestState, request: Request): Promise<Parsed>;
  /** What admission reserves, and the text the topic and input checks read (null: none). */
  prepare(state: RequestState, parsed: Parsed): Promise<{ reserveTokens: number; promptText: string | null }>;
  /** Generates and answers (output moderation included). */
  respond(state: RequestState, parsed: Parsed): Promise<Response>;
}

/** The steps after authentication, in order. */
async function runSteps<Parsed>(state: RequestState, request: Request, endpoint: Endpoint<Parsed>): Promise<Response> {
  authorizeEndpoint(state.key, state.endpoint);
  const parsed = await endpoint.parse(state, request);
  const { reserveTokens, promptText } = await endpoint.prepare(state, parsed);
  await admit(state, reserveTokens);
  if (promptText !== null) {
    checkTopic(promptText, state.key.scopes.topics);
    await moderateInput(promptText, state.key.scopes.inputFilter, moderationContext(state));
  }
  return endpoint.respond(state, parsed);
}

/** A response's headers, as one plain object (built once: the Response converts it once). */
function baseHeaders(requestId: string, snapshot: LimitSnapshot | null, extra: Record<string, string>): Record<string, string> {
  return snapshot ? { "x-request-id": requestId, ...extra, ...rateLimitHeaders(snapshot) } : { "x-request-id": requestId, ...extra };
}

/**
 * A whole answer. Its tokens are known by now, so its limit headers describe the limits after them: the admission's
 * snapshot with the unused reservation given back (settling the admission changes nothing the headers say).
 */
export function jsonResponse(state: RequestState, body: unknown, status = 200): Response {
  if (state.admission && state.snapshot) state.snapshot = settledSnapshot(state.snapshot, state.reservedTokens, state.promptTokens + state.completionTokens);
  return new Response(JSON.stringify(body), { status, headers: baseHeaders(state.requestId, state.snapshot, { "content-type": "application/json" }) });
}

/** Server-sent events exactly like OpenAI's (`data: {json}\n\n` per chunk, then `data: [DONE]\n\n`). */
export function sseResponse(state: RequestState, stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, {
    status: 200,
    headers: baseHeaders(state.requestId, state.snapshot, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" }),
  });
}

function errorResponse(view: RefusalView, requestId: string, extra: Record<string, string> = {}): Response {
  const headers = baseHeaders(requestId, view.snapshot, { "content-type": "application/json", ...extra });
  if (view.retryAfterSeconds !== null) headers["retry-after"] = String(view.retryAfterSeconds);
  else if (view.status === 503) headers["retry-after"] = "2";
  // A spent monthly quota is not a moment's wait: OpenAI's SDKs retry any 429 unless told not to.
  if (view.code === "insufficient_quota") headers["x-should-retry"] = "false";
  return new Response(JSON.stringify(view.body), { status: view.status, headers });
}

/** A refusal answered before anything is known of the caller: nothing is recorded. */
export function refusalResponse(error: unknown, extra: Record<string, string> = {}): Response {
  const requestId = newRequestId();
  return errorResponse(viewOf(error, requestId), requestId, extra);
}

/** Runs one endpoint: guards, authenticate, check the endpoint scope, run its steps, map refusals, record usage. */
export function runEndpoint<Parsed>(runtime: GatewayRuntime, request: Request, endpoint: ApiEndpoint, handler: Endpoint<Parsed>): Promise<Response> {
  const work = handle(runtime, request, endpoint, handler).then(closeWhenStopping(runtime));
  runtime.inFlight.add(work);
  void work.finally(() => runtime.inFlight.delete(work));
  return work;
}

/**
 * While the server stops, every answer closes its connection: a keep-alive client would otherwise send its next request
 * on a socket the exiting process resets, and a reset POST leaves the client unsure whether it ran.
 */
function closeWhenStopping(runtime: GatewayRuntime): (response: Response) => Response {
  return (response) => {
    if (runtime.isStopping) response.headers.set("connection", "close");
    return response;
  };
}

async function handle<Parsed>(runtime: GatewayRuntime, request: Request, endpoint: ApiEndpoint, handler: Endpoint<Parsed>): Promise<Response> {
  const requestId = newRequestId();
  const startedAt = Date.now();
  const refuseEarly = (error: unknown) => {
    const view = viewOf(error, requestId);
    observeRequest({ requestId, endpoint, keyId: null, status: view.status, code: view.code, latencyMs: Date.now() - startedAt, promptTokens: 0, completionTokens: 0 });
    return errorResponse(view, requestId);
  };
  // Before authentication nothing is recorded: there is no key to record it against.
  if (runtime.isStopping) return refuseEarly(refusal("service_unavailable", { detail: "the server is restarting" }));
  if (runtime.recorder.isFull()) return refuseEarly(refusal("service_unavailable", { detail: "usage records cannot be stored right now" }));
  const address = `address:${clientAddress(request)}`;
  const limitLookups = () => {
    if (runtime.refusals.isBlocked(address, ADDRESS_REFUSALS_PER_MINUTE)) {
      throw refusal("too_many_invalid_requests", { limit: ADDRESS_REFUSALS_PER_MINUTE, detail: "of unknown keys from this address", retryAfterSeconds: runtime.refusals.retryAfterSeconds() });
    }
  };
  let key: KeyContext;
  try {
    key = await authenticateKey({ authorization: request.headers.get("authorization"), beforeLookup: limitLookups });
  } catch (error) {
    if (isRefusal(error) && error.code === "invalid_api_key") runtime.refusals.note(address);
    return refuseEarly(error);
  }

  const state: RequestState = {
    runtime,
    requestId,
    endpoint,
    key,
    startedAt,
    model: "",
    endUserId: null,
    promptTokens: 0,
    completionTokens: 0,
    isFlagged: false,
    admission: null,
    reservedTokens: 0,
    snapshot: null,
    completion: null,
    streamError: null,
    clientSignal: request.signal,
  };
  const keyIdentity = `key:${key.keyId}`;
  const keyLimit = keyRefusalLimit(key.scopes.requestsPerMinute);
  let response: Response;
  let status = 200;
  let errorCode: string | null = null;
  try {
    if (runtime.refusals.isBlocked(keyIdentity, keyLimit)) {
      throw refusal("too_many_invalid_requests", { limit: keyLimit, detail: "for this key", retryAfterSeconds: runtime.refusals.retryAfterSeconds() });
    }
    response = await runSteps(state, request, handler);
    if (state.completion) {
      // A stream: its tokens are known when it ends; the response (headers from the admission) goes out now.
      const streamed = state.completion.then(() => finishStream(state));
      runtime.inFlight.add(streamed);
      void streamed.finally(() => runtime.inFlight.delete(streamed));
      return response;
    }
    // The response's headers already describe the limits after these tokens (jsonResponse).
    if (state.admission) await state.admission.settle(state.promptTokens + state.completionTokens);
  } catch (caught) {
    const view = viewOf(caught, requestId);
    status = view.status;
    errorCode = view.code;
    if (isRefusal(caught)) state.limitName = caught.details.limitName;
    if (state.admission) {
      // Refused after admission: the request counts, its tokens do not; our own failures do not count at all.
      if (view.countsTowardLimits) await state.admission.settle(0);
      else await state.admission.cancel();
    } else if (view.status < 500) {
      runtime.refusals.note(keyIdentity);
    }
    state.promptTokens = 0;
    state.completionTokens = 0;
    state.snapshot = view.snapshot ?? (await withDatabaseDeadline(runtime.limits.peek({ grantId: key.grantId, scopes: key.scopes })).catch(() => state.snapshot));
    response = errorResponse({ ...view, snapshot: state.snapshot }, requestId);
  }
  recordUsage(state, status, errorCode);
  return response;
}

/** The stream has ended (or its client went away): settle its tokens and record it. */
async function finishStream(state: RequestState): Promise<void> {
  const status = state.streamError?.status ?? 200;
  const errorCode = state.streamError?.code ?? null;
  if (state.streamError !== null && state.completionTokens === 0) {
    // Failed before any text: as for any refusal after admission, the request counts (or, for our own failures,
    // not) and its tokens do not. Text already sent is charged.
    state.promptTokens = 0;
  }
  if (state.admission) {
    const counts = state.streamError === null || state.completionTokens > 0 || refusalCountsTowardLimits(errorCode);
    if (counts) await state.admission.settle(state.promptTokens + state.completionTokens);
    else await state.admission.cancel();
  }
  recordUsage(state, status, errorCode);
}

function recordUsage(state: RequestState, status: number, errorCode: string | null): void {
  const latencyMs = Date.now() - state.startedAt;
  observeRequest({
    requestId: state.requestId,
    endpoint: state.endpoint,
    keyId: state.key.keyId,
    status,
    code: errorCode,
    latencyMs,
    promptTokens: state.promptTokens,
    completionTokens: state.completionTokens,
    limitName: state.limitName,
  });
  state.runtime.recorder.record({
    kind: "usage",
    entry: {
      id: randomUUID(),
      requestId: state.requestId,
      apiKeyId: state.key.keyId,
      organizationId: state.key.organizationId,
      endUserId: state.endUserId,
      endpoint: state.endpoint,
      model: state.model,
      promptTokens: state.promptTokens,
      completionTokens: state.completionTokens,
      totalTokens: state.promptTokens + state.completionTokens,
      latencyMs,
      status,
      errorCode,
      isFlagged: state.isFlagged,
      createdAt: new Date(state.admission?.at ?? Date.now()),
    },
  });
}

/** A 404 in OpenAI's shape for a /v1 path no endpoint serves. */
export function notFoundResponse(request: Request): Response {
  return refusalResponse(refusal("not_found", { value: `${request.method} ${new URL(request.url).pathname}` }));
}

/** A 405 in OpenAI's shape for a method the route does not serve. */
export function methodNotAllowed(allowed: string): Response {
  return refusalResponse(refusal("method_not_allowed", { detail: allowed }), { allow: allowed });
}
