// The request lifecycle shared by every /v1 endpoint: request id, authentication, endpoint scope, error mapping,
// rate-limit headers and the usage record. Each endpoint supplies only its own steps (lib/gateway/endpoints.ts).
import "server-only";
import { randomBytes } from "node:crypto";
import type { ApiEndpoint } from "@/lib/keys/scopes";
import { authenticateKey, type KeyContext } from "./authenticate";
import { authorizeEndpoint } from "./authorize";
import { ApiError, errorBody, toApiError } from "./errors";
import { ADMITTED_ERROR_CODES, LimitError, rateLimitHeaders, type Admission, type LimitSnapshot } from "./limits";
import type { GatewayRuntime } from "./runtime";

export function newRequestId(): string {
  return `req_${randomBytes(12).toString("hex")}`;
}

/** What one request accumulates on its way through the steps; the usage record is written from it. */
export class RequestState {
  readonly startedAt = Date.now();
  model = "";
  endUserId: string | null = null;
  promptTokens = 0;
  completionTokens = 0;
  isFlagged = false;
  admission: Admission | null = null;
  snapshot: LimitSnapshot | null = null;

  constructor(
    readonly runtime: GatewayRuntime,
    readonly requestId: string,
    readonly endpoint: ApiEndpoint,
    readonly key: KeyContext,
  ) {}

  /** Admits the request against the grant's limits, reserving `reserveTokens`. */
  async admit(reserveTokens: number): Promise<void> {
    const { admission, snapshot } = await this.runtime.limits.admit({ grantId: this.key.grantId, scopes: this.key.scopes, endUserId: this.endUserId, reserveTokens });
    this.admission = admission;
    this.snapshot = snapshot;
  }

  moderationContext() {
    return { requestId: this.requestId, apiKeyId: this.key.keyId, organizationId: this.key.organizationId };
  }
}

export type EndpointHandler = (state: RequestState, request: Request) => Promise<Response>;

function baseHeaders(requestId: string, snapshot: LimitSnapshot | null, extra: Record<string, string> = {}): Headers {
  const headers = new Headers({ "x-request-id": requestId, ...extra });
  if (snapshot) for (const [name, value] of Object.entries(rateLimitHeaders(snapshot))) headers.set(name, value);
  return headers;
}

export function jsonResponse(state: RequestState, body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: baseHeaders(state.requestId, state.snapshot, { "content-type": "application/json" }) });
}

/** Server-sent events exactly like OpenAI's: `data: {json}\n\n` per chunk, then `data: [DONE]\n\n`. */
export function sseResponse(state: RequestState, chunks: unknown[]): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`));
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      controller.close();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: baseHeaders(state.requestId, state.snapshot, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" }),
  });
}

function errorResponse(error: ApiError, requestId: string, snapshot: LimitSnapshot | null): Response {
  return new Response(JSON.stringify(errorBody(error)), { status: error.status, headers: baseHeaders(requestId, snapshot, { "content-type": "application/json" }) });
}

/** Runs one endpoint: authenticate, check the endpoint scope, run its steps, map errors, record usage. */
export function runEndpoint(runtime: GatewayRuntime, request: Request, endpoint: ApiEndpoint, handler: EndpointHandler): Promise<Response> {
  const work = handle(runtime, request, endpoint, handler);
  runtime.inFlight.add(work);
  void work.finally(() => runtime.inFlight.delete(work));
  return work;
}

async function handle(runtime: GatewayRuntime, request: Request, endpoint: ApiEndpoint, handler: EndpointHandler): Promise<Response> {
  const requestId = newRequestId();
  let key: KeyContext;
  try {
    key = await authenticateKey({ authorization: request.headers.get("authorization") });
  } catch (error) {
    // Nothing is recorded before authentication: there is no key to record it against.
    return errorResponse(toApiError(error, requestId), requestId, null);
  }
  const state = new RequestState(runtime, requestId, endpoint, key);
  let response: Response;
  let status = 200;
  let errorCode: string | null = null;
  try {
    authorizeEndpoint(key, endpoint);
    response = await handler(state, request);
    if (state.admission) {
      state.admission.settle(state.promptTokens + state.completionTokens);
      // The headers describe the limits after this request's actual tokens, not its reservation.
      state.snapshot = await runtime.limits.peek({ grantId: key.grantId, scopes: key.scopes });
      for (const [name, value] of Object.entries(rateLimitHeaders(state.snapshot))) response.headers.set(name, value);
    }
  } catch (caught) {
    const error = toApiError(caught, requestId);
    status = error.status;
    errorCode = error.code;
    if (state.admission) {
      // Refused after admission: the request counts, its tokens do not; our own failures do not count at all.
      if ((ADMITTED_ERROR_CODES as readonly string[]).includes(error.code ?? "")) state.admission.settle(0);
      else state.admission.cancel();
    }
    state.promptTokens = 0;
    state.completionTokens = 0;
    if (error instanceof LimitError) state.snapshot = error.snapshot;
    else state.snapshot = await runtime.limits.peek({ grantId: key.grantId, scopes: key.scopes }).catch(() => state.snapshot);
    response = errorResponse(error, requestId, state.snapshot);
  }
  runtime.usage.record({
    requestId,
    apiKeyId: key.keyId,
    organizationId: key.organizationId,
    endUserId: state.endUserId,
    endpoint,
    model: state.model,
    promptTokens: state.promptTokens,
    completionTokens: state.completionTokens,
    totalTokens: state.promptTokens + state.completionTokens,
    latencyMs: Date.now() - state.startedAt,
    status,
    errorCode,
    isFlagged: state.isFlagged,
    createdAt: new Date(state.admission?.at ?? Date.now()),
  });
  return response;
}

/** A 405 in OpenAI's shape for a method the route does not serve. */
export function methodNotAllowed(allowed: string): Response {
  const error = new ApiError(405, "invalid_request_error", "method_not_allowed", `This endpoint only accepts ${allowed} requests.`);
  return new Response(JSON.stringify(errorBody(error)), { status: 405, headers: { "content-type": "application/json", allow: allowed, "x-request-id": newRequestId() } });
}
