// POSTs JSON to an upstream model or moderation service over node:http(s), with one keep-alive connection pool per
// server process. These calls sit on the path of every request that uses them; in a route handler, `fetch` is Next's
// patched fetch over undici's WHATWG streams, which cost about 0.7 ms before the request left and more for each
// chunk read (measured by a trace of the production server under `npm run bench`: README, "Benchmark").
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { processSingleton } from "@/lib/process";

const agents = () =>
  processSingleton("http-agents", () => ({
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  }));

export interface PostJsonOptions {
  headers?: Record<string, string>;
  /** Aborts the request, and the response's body while it is read (its reason is what rejects). */
  signal: AbortSignal;
}

/**
 * Sends `body` as JSON and resolves with the response once its headers arrive (any status: the caller checks it).
 * Read the body to its end (the connection goes back to the pool) or `discard` it.
 */
export function postJson(url: string, body: unknown, { headers = {}, signal }: PostJsonOptions): Promise<IncomingMessage> {
  const target = new URL(url);
  const protocol = target.protocol === "https:" ? "https:" : target.protocol === "http:" ? "http:" : null;
  if (protocol === null) return Promise.reject(new Error(`${target.protocol} addresses are not supported`));
  const payload = Buffer.from(JSON.stringify(body));
  const options: http.RequestOptions = {
    method: "POST",
    agent: agents()[protocol],
    headers: { ...headers, "content-type": "application/json", "content-length": String(payload.length) },
  };
  return send(protocol === "https:" ? https : http, target, options, payload, signal, true);
}

function send(transport: typeof http | typeof https, target: URL, options: http.RequestOptions, payload: Buffer, signal: AbortSignal, mayRetry: boolean): Promise<IncomingMessage> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const request = transport.request(target, options);
    let response: IncomingMessage | null = null;
    const abort = () => {
      request.destroy(signal.reason as Error);
      response?.destroy(signal.reason as Error);
      reject(signal.reason);
    };
    const release = () => signal.removeEventListener("abort", abort);
    signal.addEventListener("abort", abort, { once: true });
    request.once("error", (error: NodeJS.ErrnoException) => {
      release();
      // A pooled connection the server closed while it sat idle (its keep-alive timeout): sent again on a new one,
      // once. Nothing was answered, so the server did not take the request.
      if (mayRetry && response === null && request.reusedSocket && error.code === "ECONNRESET" && !signal.aborted) {
        resolve(send(transport, target, options, payload, signal, false));
        return;
      }
      reject(error);
    });
    request.once("response", (incoming) => {
      response = incoming;
      incoming.once("close", release);
      resolve(incoming);
    });
    request.end(payload);
  });
}

/** The whole body as text; past `maxBytes` the connection is closed and the read fails. */
export async function readBody(response: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      throw new Error(`the answer is longer than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Drops a body unread (a refused answer): the connection is closed rather than drained. */
export function discard(response: IncomingMessage): void {
  response.destroy();
}

/** An answer whose status is 2xx. */
export const isOk = (response: IncomingMessage) => response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300;
