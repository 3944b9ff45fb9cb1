// Passes the requested path to server components, so an area's layout can send visitors to sign in and back.
// Authorisation is not decided here: every layout, page, action and route handler checks on its own.
import { NextResponse, type NextRequest } from "next/server";

// lib/auth/session.ts reads this header.
const REQUEST_PATH_HEADER = "x-gatehouse-path";

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/applicant/:path*", "/review/:path*", "/admin/:path*", "/account/:path*", "/home", "/notifications/:path*", "/invitations/:path*"],
};
