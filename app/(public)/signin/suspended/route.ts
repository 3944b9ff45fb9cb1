// GET /signin/suspended: ends a suspended account's session (clears next-auth's cookies) and shows the notice.
import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

export function GET(request: NextRequest) {
  const response = NextResponse.redirect(new URL("/signin?error=suspended", request.url));
  for (const cookie of request.cookies.getAll()) {
    if (SESSION_COOKIE.test(cookie.name)) response.cookies.delete(cookie.name);
  }
  return response;
}
