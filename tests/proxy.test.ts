import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, isForeignOrigin, isOversizeBody, isPossibleServerAction } from "@/proxy";

function headersOf(values: Record<string, string>): Headers {
  return new Headers(values);
}

describe("proxy: cross-origin server actions", () => {
  it("treats fetch actions and form posts as possible server actions, and nothing else", () => {
    expect(isPossibleServerAction({ method: "POST", headers: headersOf({ "next-action": "abc" }) })).toBe(true);
    expect(isPossibleServerAction({ method: "POST", headers: headersOf({ "content-type": "multipart/form-data; boundary=x" }) })).toBe(true);
    expect(isPossibleServerAction({ method: "POST", headers: headersOf({ "content-type": "application/x-www-form-urlencoded" }) })).toBe(true);
    expect(isPossibleServerAction({ method: "POST", headers: headersOf({ "content-type": "application/json" }) })).toBe(false);
    expect(isPossibleServerAction({ method: "GET", headers: headersOf({ "next-action": "abc" }) })).toBe(false);
  });

  it("compares the Origin's host with X-Forwarded-Host, else Host, as Next does", () => {
    expect(isForeignOrigin(headersOf({ host: "gatehouse.example", origin: "https://gatehouse.example" }))).toBe(false);
    expect(isForeignOrigin(headersOf({ host: "localhost:3000", origin: "http://localhost:3000" }))).toBe(false);
    expect(isForeignOrigin(headersOf({ host: "internal:3000", "x-forwarded-host": "gatehouse.example, proxy", origin: "https://gatehouse.example" }))).toBe(false);
    expect(isForeignOrigin(headersOf({ host: "gatehouse.example", origin: "https://evil.example" }))).toBe(true);
    expect(isForeignOrigin(headersOf({ host: "gatehouse.example", origin: "null" }))).toBe(true);
    expect(isForeignOrigin(headersOf({ host: "gatehouse.example", origin: "not a url" }))).toBe(true);
    // No Origin: a hand-made request without a browser's credentials; Next lets it through too.
    expect(isForeignOrigin(headersOf({ host: "gatehouse.example" }))).toBe(false);
  });

  it("refuses bodies over Next's action limit by their declared length", () => {
    expect(isOversizeBody(headersOf({ "content-length": String(ACTION_BODY_LIMIT) }))).toBe(false);
    expect(isOversizeBody(headersOf({ "content-length": String(ACTION_BODY_LIMIT + 1) }))).toBe(true);
    expect(isOversizeBody(headersOf({}))).toBe(false);
  });
});
