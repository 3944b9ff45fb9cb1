import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/log";
import { countsTowardLimits } from "./limits";
import { isRefusal, paramOf, quote, QUOTE_CHARS, refusal, refusalTable, refuse, viewOf, type RefusalCode } from "./refusals";

const codes = Object.keys(refusalTable) as RefusalCode[];

afterEach(() => {
  vi.restoreAllMocks();
});

describe("refusals", () => {
  it("are recognised by their brand, also when made by another copy of the module (another Next bundle)", async () => {
    vi.resetModules();
    const otherBundle = await import("./refusals");
    expect(otherBundle.refusal).not.toBe(refusal);
    const foreign = otherBundle.refusal("model_not_found", { param: "model", value: "x" });
    expect(isRefusal(foreign)).toBe(true);
    expect(otherBundle.isRefusal(refusal("invalid_api_key"))).toBe(true);
    expect(viewOf(foreign, "req_1")).toMatchObject({ status: 404, code: "model_not_found", body: { error: { param: "model", code: "model_not_found" } } });
  });

  it("are not confused with other errors or look-alike objects", () => {
    expect(isRefusal(new Error("invalid_api_key"))).toBe(false);
    expect(isRefusal({ code: "invalid_api_key", details: {} })).toBe(false);
    expect(isRefusal({ [Symbol("gatehouse.refusal")]: true })).toBe(false);
    expect(isRefusal(null)).toBe(false);
    expect(isRefusal("invalid_api_key")).toBe(false);
    expect(() => refuse("not_found", { value: "/v1/x" })).toThrow(expect.objectContaining({ code: "not_found", details: { value: "/v1/x" } }));
  });

  it("map every code of the table to its status, OpenAI type, message and param", () => {
    for (const code of codes) {
      const spec = refusalTable[code];
      const view = viewOf(refusal(code, { param: "messages[0].content", value: "v", detail: "d", limit: 5 }), "req_table");
      expect(view).toMatchObject({ code, status: spec.status, countsTowardLimits: spec.countsTowardLimits, snapshot: null });
      expect(view.body.error).toEqual({ message: spec.message({ param: "messages[0].content", value: "v", detail: "d", limit: 5, requestId: "req_table" }), type: spec.type, param: "messages[0].content", code });
      expect(view.body.error.message.length).toBeGreaterThan(0);
      expect(viewOf(refusal(code), "req_table").body.error.param).toBeNull();
    }
  });

  it("count toward the limits by the same rule the limits use when they start from the stored records", () => {
    for (const code of codes) expect([code, countsTowardLimits(refusalTable[code].status, code)]).toEqual([code, refusalTable[code].countsTowardLimits]);
  });

  it("carry the limit snapshot to the response headers", () => {
    const snapshot = { limitRequests: 1, remainingRequests: 0, resetRequestsMs: 5, limitTokens: 10, remainingTokens: 10, resetTokensMs: 0 };
    expect(viewOf(refusal("rate_limit_exceeded", { snapshot }), "req_s")).toMatchObject({ status: 429, snapshot, body: { error: { type: "rate_limit_error" } } });
  });

  it("never echo more than QUOTE_CHARS of a client's value, whatever the code", () => {
    const huge = `${"m".repeat(700_000)}SECRET-TAIL`;
    for (const code of codes) {
      const { message } = viewOf(refusal(code, { value: huge }), "req_q").body.error;
      expect(message).not.toContain("SECRET-TAIL");
      expect(message.length).toBeLessThan(QUOTE_CHARS + 300);
    }
    expect(viewOf(refusal("model_not_found", { value: huge }), "req_q").body.error.message).toContain(`'${"m".repeat(QUOTE_CHARS)}…'`);
  });

  it("quote short values whole and cut long ones at QUOTE_CHARS", () => {
    expect(quote(undefined)).toBe("");
    expect(quote("x".repeat(QUOTE_CHARS))).toBe("x".repeat(QUOTE_CHARS));
    expect(quote("x".repeat(QUOTE_CHARS + 1))).toBe(`${"x".repeat(QUOTE_CHARS)}…`);
  });

  it("name zod paths the way OpenAI names params", () => {
    expect(paramOf(["messages", 0, "content", 2, "text"])).toBe("messages[0].content[2].text");
    expect(paramOf(["stop", 1])).toBe("stop[1]");
    expect(paramOf(["model"])).toBe("model");
    expect(paramOf([])).toBeNull();
  });
});

describe("unknown errors", () => {
  it("become a generic 500 quoting the request id, leaking nothing of the error", () => {
    const logged = vi.spyOn(logger(), "error").mockImplementation(() => undefined);
    const secret = new Error("connect ECONNREFUSED 10.0.0.7:5432 password=hunter2");
    for (const thrown of [secret, new TypeError("Cannot read properties of undefined"), "a string", undefined]) {
      const view = viewOf(thrown, "req_unknown");
      expect(view).toMatchObject({ code: "internal_error", status: 500, countsTowardLimits: false, snapshot: null });
      expect(view.body.error).toMatchObject({ type: "server_error", param: null, code: "internal_error" });
      expect(view.body.error.message).toContain("req_unknown");
      expect(JSON.stringify(view.body)).not.toMatch(/ECONNREFUSED|hunter2|Cannot read|a string/);
    }
    // The details go to the server's log instead, with the request id to find them by.
    expect(logged).toHaveBeenCalledWith({ err: secret, requestId: "req_unknown" }, expect.any(String));
  });

  it("are the only errors logged: refusals are expected answers", () => {
    const logged = vi.spyOn(logger(), "error").mockImplementation(() => undefined);
    viewOf(refusal("invalid_api_key"), "req_quiet");
    expect(logged).not.toHaveBeenCalled();
  });
});
