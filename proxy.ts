// Passes the requested path to server components, so an area's layout can send visitors to sign in and back, and
// refuses cross-origin (403) and oversize (413) server-action posts, which Next aborts too, but with a 500.
// Authorisation is not decided here: every layout, page, action and route handler checks on its own.
import { NextResponse, type NextRequest } from "next/server";

// lib/auth/session.ts reads this header.
const REQUEST_PATH_HEADER = "x-gatehouse-path";

/**
 * A POST that Next may treat as a server action: a fetch action carries `Next-Action`, a no-JavaScript form post
 * is any form-encoded or multipart POST to a page. Next compares its Origin with the host and aborts on mismatch.
 */
export function isPossibleServerAction(request: Pick<NextRequest, "method" | "headers">): boolean {
  if (request.method !== "POST") return false;
  if (request.headers.has("next-action")) return true;
  const contentType = request.headers.get("content-type") ?? "";
  return contentType.startsWith("multipart/form-data") || contentType.startsWith("application/x-www-form-urlencoded");
}

/** Next's own rule: the Origin's host must equal X-Forwarded-Host (first value) or else Host; no Origin passes. */
export function isForeignOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  return !host || originHost !== host;
}

/** Next's default serverActions.bodySizeLimit (1 MB): Next refuses larger action bodies, but with a 500. */
export const ACTION_BODY_LIMIT = 1024 * 1024;

export function isOversizeBody(headers: Headers): boolean {
  return Number(headers.get("content-length") ?? 0) > ACTION_BODY_LIMIT;
}

/**
 * A body sent in chunks, without a Content-Length: its size is not known before it is read, and Next's own limit then
 * aborts the action with a 500. Browsers always send a form's length; only a hand-made client streams one.
 */
export function isUnmeasuredBody(headers: Headers): boolean {
  return !headers.has("content-length") && headers.has("transfer-encoding");
}

/**
 * A fetch-style action call (`Next-Action`, text body) whose body is not JSON: Next fails to decode it with a 500.
 * React's client always sends its arguments as a JSON array here.
 */
export async function hasUnreadableActionArguments(request: Request): Promise<boolean> {
  if (!request.headers.has("next-action") || !(request.headers.get("content-type") ?? "").startsWith("text/plain")) return false;
  try {
    return !Array.isArray(JSON.parse(await request.text()));
  } catch {
    return true;
  }
}

function refuse(status: 400 | 403 | 411 | 413, message: string): NextResponse {
  return new NextResponse(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** True when every %-escape of the path decodes to text (Next answers a bare 500 for one that does not). */
function hasDecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export async function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/v1/")) {
    // Only /v1 paths holding a %-escape come here (see the matcher): the API answers in OpenAI's error shape.
    if (hasDecodablePath(request.nextUrl.pathname)) return NextResponse.next();
    const error = { message: "The request path is not valid percent-encoded UTF-8.", type: "invalid_request_error", param: null, code: "invalid_path" };
    return NextResponse.json({ error }, { status: 400 });
  }
  if (isPossibleServerAction(request)) {
    if (isForeignOrigin(request.headers)) return refuse(403, "Cross-origin form posts are not accepted.");
    if (isOversizeBody(request.headers)) return refuse(413, "This form is larger than 1 MB. Shorten the longest fields and try again.");
    if (isUnmeasuredBody(request.headers)) return refuse(411, "Send the form with a Content-Length header.");
    if (await hasUnreadableActionArguments(request)) return refuse(400, "This form could not be read. Reload the page and try again.");
  }
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Every page (server actions can be posted to any of them); not the API routes, /v1 or static files.
  // /v1 paths only when they hold a %-escape, so API calls otherwise skip the proxy.
  matcher: ["/((?!api/|v1/|v1$|_next/static|_next/image|favicon\\.ico).*)", "/v1/(.*%.*)"],
};
