// A raw HTTP client for tests that must send what no SDK sends (odd methods, invalid UTF-8, lying content types) from
// a chosen loopback address, and never throws: a transport failure is an answer too (`error`), with its duration.
import http from "node:http";

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

export interface RawFailure {
  status: 0;
  /** The transport error's code (ECONNRESET, ECONNREFUSED, TIMEOUT ...). */
  error: string;
  ms: number;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Source address on the loopback network (127.0.0.0/8): a different client to the server. */
  localAddress?: string;
  /** An agent to reuse connections; `false` opens a new connection per request. */
  agent?: http.Agent | false;
  timeoutMs?: number;
}

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer | RawFailure> {
  const url = new URL(baseUrl);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let isSettled = false;
    const settle = (value: RawAnswer | RawFailure) => {
      if (isSettled) return;
      isSettled = true;
      resolve(value);
    };
    const body = typeof request.body === "string" ? Buffer.from(request.body, "utf8") : request.body;
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method: request.method,
      path: request.path,
      headers: { ...(body ? { "content-length": String(body.length) } : {}), ...request.headers },
      agent: request.agent ?? false,
      ...(request.localAddress ? { localAddress: request.localAddress } : {}),
    });
    req.setTimeout(request.timeoutMs ?? 30_000, () => {
      settle({ status: 0, error: "TIMEOUT", ms: elapsed() });
      req.destroy();
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => settle({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: elapsed() }));
      res.on("error", (error: NodeJS.ErrnoException) => settle({ status: 0, error: error.code ?? error.message, ms: elapsed() }));
    });
    // The server may answer (413) and close before the whole body is sent: the answer, if any, wins.
    req.on("error", (error: NodeJS.ErrnoException) => settle({ status: 0, error: error.code ?? error.message, ms: elapsed() }));
    if (body) req.end(body);
    else req.end();
  });
}

export function isFailure(answer: RawAnswer | RawFailure): answer is RawFailure {
  return answer.status === 0;
}

/** The answer, or a thrown error naming the transport failure: for requests that must be answered. */
export function answered(answer: RawAnswer | RawFailure): RawAnswer {
  if (isFailure(answer)) throw new Error(`expected an answer, got ${answer.error} after ${answer.ms} ms`);
  return answer;
}

export interface OpenAiError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The body as OpenAI's error shape `{ error: { message, type, param, code } }`, or null when it is not exactly that. */
export function openAiErrorOf(body: Buffer | string): OpenAiError | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || !("error" in parsed)) return null;
  const error: unknown = parsed.error;
  if (typeof error !== "object" || error === null) return null;
  const { message, type, param, code } = error as Record<string, unknown>;
  const isNullableString = (value: unknown) => value === null || typeof value === "string";
  if (typeof message !== "string" || message === "" || typeof type !== "string" || !("param" in error) || !("code" in error)) return null;
  if (!isNullableString(param) || !isNullableString(code)) return null;
  return { error: { message, type, param: param as string | null, code: code as string | null } };
}

export function headerOf(answer: RawAnswer | RawFailure, name: string): string | undefined {
  if (isFailure(answer)) return undefined;
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
