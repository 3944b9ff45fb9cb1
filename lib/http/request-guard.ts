// Request lines that Next cannot take, answered before Next sees them. Next builds a fetch Request for every call,
// and fetch forbids TRACE and TRACK: such a request reached Next as a 500 on every path. An absolute-form target
// (`GET http://other.host/path`, which HTTP/1.1 servers must accept) was answered with a 308 to that other host.
// A request asking to upgrade its connection (`curl --http2`'s h2c, a WebSocket) and CONNECT were dropped without an
// answer: Next's production upgrade handler closes the socket. The app serves no upgrade, so it is ignored as HTTP
// allows, and the request is served over HTTP/1.1; CONNECT is answered 405.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { processSingleton } from "@/lib/process";

/** The methods the app serves; Next answers OPTIONS and HEAD itself, route handlers the rest. */
export const SERVED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const served = new Set<string>(SERVED_METHODS);

export type RequestLineVerdict =
  | { kind: "pass" }
  | { kind: "rewrite"; url: string }
  | { kind: "refuse"; status: 400 | 405; message: string };

/** What to do with a request line: pass it to Next, rewrite its target to origin-form, or refuse it. */
export function judgeRequestLine(method: string, target: string): RequestLineVerdict {
  if (!served.has(method)) return { kind: "refuse", status: 405, message: `The ${method.slice(0, 16)} method is not supported.` };
  if (target.startsWith("/")) return { kind: "pass" };
  // RFC 9112 §3.2.2: the absolute form's authority is for proxies; this server serves one site, so only the path counts.
  const absolute = /^https?:\/\/[^/?#]*(.*)$/i.exec(target);
  if (absolute) {
    const rest = absolute[1] ?? "";
    return { kind: "rewrite", url: rest.startsWith("/") ? rest : `/${rest}` };
  }
  return { kind: "refuse", status: 400, message: "The request target must be a path." };
}

function isApiPath(target: string): boolean {
  return /^(?:https?:\/\/[^/?#]*)?\/v1(?:[/?#]|$)/i.test(target);
}

/** The refusal: OpenAI's error shape under /v1 (what SDKs parse), plain text elsewhere. */
function refuse(request: IncomingMessage, response: ServerResponse, status: 400 | 405, message: string): void {
  const api = isApiPath(request.url ?? "");
  const body = api
    ? JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: status === 405 ? "method_not_allowed" : "invalid_request" } })
    : `${message}\n`;
  response.writeHead(status, {
    "content-type": api ? "application/json" : "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "x-content-type-options": "nosniff",
    ...(status === 405 ? { allow: SERVED_METHODS.join(", ") } : {}),
  });
  // A body sent with the refused request is not read: the connection closes after the answer.
  response.shouldKeepAlive = false;
  response.end(body);
}

/** The servers whose upgrade and CONNECT handling is already set (on their first connection). */
const servers = new WeakSet<http.Server>();

/** CONNECT (a proxy's method): no listener means Node destroys the socket unanswered. */
function refuseConnect(_request: IncomingMessage, socket: Duplex): void {
  const body = "The CONNECT method is not supported.\n";
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nallow: ${SERVED_METHODS.join(", ")}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * Installs the guard on every HTTP server of this process. `next start` creates its server before instrumentation
 * runs and keeps it to itself, so the guard sits on the prototype's `emit`, where each "connection" and "request"
 * event passes.
 */
export function installRequestGuard(): void {
  processSingleton("requestGuard", () => {
    const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
    http.Server.prototype.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
      if (event === "connection" && !servers.has(this)) {
        servers.add(this);
        // Node hands a request with `Connection: upgrade` to "upgrade" listeners only while there are some.
        this.removeAllListeners("upgrade");
        this.on("connect", refuseConnect);
      }
      if (event === "request") {
        const [request, response] = args as [IncomingMessage, ServerResponse];
        const verdict = judgeRequestLine(request.method ?? "", request.url ?? "");
        if (verdict.kind === "refuse") {
          refuse(request, response, verdict.status, verdict.message);
          return true;
        }
        if (verdict.kind === "rewrite") request.url = verdict.url;
      }
      return emit.call(this, event, ...args);
    } as typeof http.Server.prototype.emit;
    return true;
  });
}
