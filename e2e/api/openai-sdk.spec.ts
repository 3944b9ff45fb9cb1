import { expect, test } from "@playwright/test";
import OpenAI from "openai";

// The production server through the official SDK. A happy path needs a key secret, which only the key UI (or the
// first-start log) shows; the Vitest suite drives every endpoint with real keys over a real HTTP server.
function client(apiKey: string): OpenAI {
  const baseURL = test.info().project.use.baseURL ?? "http://localhost:3000";
  return new OpenAI({ apiKey, baseURL: `${baseURL}/v1`, maxRetries: 0 });
}

test("an unknown key gets OpenAI's 401 invalid_api_key through the SDK", async () => {
  const error = await client(`gk_dev_${"x".repeat(43)}`)
    .models.list()
    .then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  const authError = error as InstanceType<typeof OpenAI.AuthenticationError>;
  expect(authError.status).toBe(401);
  expect(authError.code).toBe("invalid_api_key");
  expect(authError.type).toBe("authentication_error");
  expect(authError.headers.get("x-request-id")).toMatch(/^req_/);

  const chat = await client("not-a-key")
    .chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content: "Hello" }] })
    .then(() => null, (caught: unknown) => caught);
  expect(chat).toBeInstanceOf(OpenAI.AuthenticationError);
});

test("a request without a key is refused in OpenAI's error shape, and a wrong method gets 405", async ({ request }) => {
  const response = await request.post("/v1/chat/completions", { data: { model: "gatehouse-ngram", messages: [] } });
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: { message: expect.any(String), type: "authentication_error", param: null, code: "invalid_api_key" } });
  const wrong = await request.get("/v1/chat/completions");
  expect(wrong.status()).toBe(405);
  expect((await wrong.json()).error.code).toBe("method_not_allowed");
});
