import { describe, expect, it } from "vitest";
import { readJsonBody } from "./body";
import { isRefusal, viewOf } from "./refusals";

/** What the client would see for the body's refusal. */
async function refusedAs(work: Promise<unknown>) {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isRefusal(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return viewOf(error, "req_body");
}

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request("http://x/v1", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readJsonBody", () => {
  it("parses a JSON object", async () => {
    expect(await readJsonBody(post('{"a":1}'), 100)).toEqual({ a: 1 });
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    expect(await refusedAs(readJsonBody(post("{}", { "content-length": "1000" }), 100))).toMatchObject({ status: 413, code: "request_too_large" });
  });

  it("refuses a body that is larger than the limit without a Content-Length", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(50)));
        controller.close();
      },
    });
    expect(await refusedAs(readJsonBody(post(stream), 100))).toMatchObject({ status: 413, code: "request_too_large" });
  });

  it("refuses invalid JSON, empty bodies and non-objects with 400", async () => {
    for (const body of ["{", "", "[]", "3"]) expect(await refusedAs(readJsonBody(post(body), 100))).toMatchObject({ status: 400, code: "invalid_json" });
  });
});
