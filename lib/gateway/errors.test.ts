import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, errorBody, invalidApiKey, paramOf, toApiError } from "./errors";
import { chatCompletionRequestSchema } from "./schema";

afterEach(() => vi.restoreAllMocks());

describe("error mapping", () => {
  it("turns zod paths into OpenAI's parameter names", () => {
    expect(paramOf(["messages", 0, "content"])).toBe("messages[0].content");
    expect(paramOf([])).toBeNull();
  });

  it("maps a validation error to a 400 naming the parameter", () => {
    const result = chatCompletionRequestSchema.safeParse({ model: "m", messages: [{ role: "user", content: "x" }], n: 3 });
    expect(result.success).toBe(false);
    const error = toApiError(result.error, "req_1");
    expect(errorBody(error)).toEqual({ error: { message: expect.stringContaining("n"), type: "invalid_request_error", param: "n", code: "invalid_value" } });
    expect(toApiError(z.object({ a: z.string() }).safeParse({}).error, "req_1")).toMatchObject({ param: "a", code: "missing_required_parameter" });
  });

  it("hides unknown errors behind a generic 500 with the request id", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const error = toApiError(new Error("password=hunter2 at db.internal"), "req_abc");
    expect(error.status).toBe(500);
    expect(error.message).toContain("req_abc");
    expect(error.message).not.toContain("hunter2");
    expect(log).toHaveBeenCalled();
  });

  it("keeps ApiErrors as they are and gives one 401 for every bad key", () => {
    const known = new ApiError(403, "permission_error", "model_not_allowed", "no", "model");
    expect(toApiError(known, "r")).toBe(known);
    expect(errorBody(invalidApiKey())).toEqual(errorBody(invalidApiKey()));
  });
});
