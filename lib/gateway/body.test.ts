import { describe, expect, it } from "vitest";
import { readJsonBody } from "./body";

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request("http://x/v1", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readJsonBody", () => {
  it("parses a JSON object", async () => {
    expect(await readJsonBody(post('{"a":1}'), 100)).toEqual({ a: 1 });
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    await expect(readJsonBody(post("{}", { "content-length": "1000" }), 100)).rejects.toMatchObject({ status: 413 });
  });

  it("refuses a body that is larger than the limit without a Content-Length", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(50)));
        controller.close();
      },
    });
    await expect(readJsonBody(post(stream), 100)).rejects.toMatchObject({ status: 413, code: "request_too_large" });
  });

  it("refuses invalid JSON, empty bodies and non-objects with 400", async () => {
    for (const body of ["{", "", "[]", "3"]) await expect(readJsonBody(post(body), 100)).rejects.toMatchObject({ status: 400, code: "invalid_json" });
  });
});
