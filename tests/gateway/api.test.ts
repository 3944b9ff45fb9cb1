// The /v1 API driven by the official openai SDK against the production server (`next build` output, as `npm start`
// serves it): every scope, error shape and header.
import net from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { rotateApiKey, revokeApiKey } from "@/lib/keys/service";
import { createUser } from "@/tests/support/factories";
import { createTestKey } from "@/tests/support/gateway-factories";
import { eventually, sdkClient, startProductionServer, type ProductionServer } from "@/tests/support/production-server";
import { answered, openAiErrorOf, rawRequest } from "@/tests/support/raw-http";

let server: ProductionServer;
beforeAll(async () => {
  server = await startProductionServer();
}, 120_000);
afterAll(async () => {
  await server.stop();
});

const MODEL = "gatehouse-ngram";
const hello = [{ role: "user" as const, content: "Tell me about the old church in the village." }];

/** The key's usage records once `count` of them are stored (they are written in batches, about every second). */
async function usageRows(keyId: string, count: number) {
  return eventually(
    () => db.usageRecord.findMany({ where: { apiKeyId: keyId }, orderBy: { createdAt: "asc" } }),
    (rows) => rows.length >= count,
  );
}

/** Sends `text` on a new connection and returns everything the server sends back before it closes (5 s at most). */
function rawExchange(baseUrl: string, text: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let received = "";
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(text));
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(received));
    socket.setTimeout(5_000, () => socket.destroy());
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("a fresh server", () => {
  it("answers its first API call about as fast as the next (routes, model and classifier are warmed at start)", async () => {
    const key = await createTestKey();
    const client = sdkClient(server, key.secret);
    const timed = async () => {
      const started = performance.now();
      await client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 8, seed: 1 });
      return performance.now() - started;
    };
    const first = await timed();
    const second = await timed();
    // Before the warm-up of the routes the first call took 1–3 s (then 0.15 s).
    // Generous for a loaded CI machine, where one call can take a second: an unwarmed route costs 1–3 s more than that.
    expect(first).toBeLessThan(Math.max(1_500, second * 4));
  });
});

describe("chat completions", () => {
  it("answers in OpenAI's shape with usage counted by gpt-tokenizer", async () => {
    const key = await createTestKey();
    const client = sdkClient(server, key.secret);
    const { data: completion, response } = await client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 24, seed: 7, temperature: 0.8 }).withResponse();
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe(MODEL);
    const choice = completion.choices[0];
    expect(choice?.message.role).toBe("assistant");
    expect(choice?.message.content?.length).toBeGreaterThan(0);
    expect(["stop", "length"]).toContain(choice?.finish_reason);
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(24);
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("60");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("59");
    expect(response.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?\d+(ms|s)$/);
    expect(response.headers.get("x-ratelimit-limit-tokens")).toBe("20000");
    expect(Number(response.headers.get("x-ratelimit-remaining-tokens"))).toBe(20000 - (completion.usage?.total_tokens ?? 0));
    expect(response.headers.get("x-ratelimit-reset-tokens")).toMatch(/^(\d+m)?\d+(ms|s)$/);

    const [row] = await usageRows(key.keyId, 1);
    expect(row).toMatchObject({ endpoint: "chat.completions", model: MODEL, status: 200, errorCode: null, totalTokens: completion.usage?.total_tokens, requestId: response.headers.get("x-request-id") });
  });

  it("streams chunks that reassemble to the non-streamed text for the same seed, with a final usage chunk", async () => {
    const key = await createTestKey();
    const client = sdkClient(server, key.secret);
    const request = { model: MODEL, messages: hello, max_tokens: 40, seed: 42, temperature: 1, top_p: 0.9 };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe(whole.choices[0]?.finish_reason);
    expect(usage).toEqual(whole.usage);
  });

  it("cuts at a stop sequence and never exceeds max_tokens in gpt-tokenizer tokens", async () => {
    const key = await createTestKey();
    const client = sdkClient(server, key.secret);
    const free = await client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 30, seed: 3, temperature: 0 });
    const text = free.choices[0]?.message.content ?? "";
    const word = text.split(" ")[2] ?? "";
    expect(word).not.toBe("");
    const stopped = await client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 30, seed: 3, temperature: 0, stop: [word, "zzz"] });
    expect(stopped.choices[0]?.message.content).toBe(text.slice(0, text.indexOf(word)));
    expect(stopped.choices[0]?.finish_reason).toBe("stop");
    const short = await client.chat.completions.create({ model: MODEL, messages: hello, max_completion_tokens: 3, seed: 3 });
    expect(short.usage?.completion_tokens).toBeLessThanOrEqual(3);
    expect(short.choices[0]?.finish_reason).toBe("length");
  });
});

describe("text completions, models and moderations", () => {
  it("completes a prompt, also as a stream of text_completion chunks", async () => {
    const key = await createTestKey();
    const client = sdkClient(server, key.secret);
    const completion = await client.completions.create({ model: MODEL, prompt: "The committee decided that", max_tokens: 20, seed: 5 });
    expect(completion.object).toBe("text_completion");
    expect(completion.choices[0]?.text.length).toBeGreaterThan(0);
    const stream = await client.completions.create({ model: MODEL, prompt: "The committee decided that", max_tokens: 20, seed: 5, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe("text_completion");
      text += chunk.choices[0]?.text ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(completion.choices[0]?.text);
    expect(usage).toEqual(completion.usage);
  });

  it("lists and retrieves only the models of the key", async () => {
    const key = await createTestKey();
    const client = sdkClient(server, key.secret);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual([MODEL]);
    expect((await client.models.retrieve(MODEL)).id).toBe(MODEL);
    const missing = await caught(client.models.retrieve("gpt-9"));
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("moderates a string or a list of strings in OpenAI's shape", async () => {
    const key = await createTestKey();
    const client = sdkClient(server, key.secret);
    const single = await client.moderations.create({ input: "I will kill you" });
    expect(single.results).toHaveLength(1);
    expect(single.results[0]?.flagged).toBe(true);
    expect(single.results[0]?.categories.violence).toBe(true);
    const many = await client.moderations.create({ input: ["What a lovely morning.", "I will kill you"] });
    expect(many.results.map((result) => result.flagged)).toEqual([false, true]);
    expect(typeof many.results[0]?.category_scores.harassment).toBe("number");
  });
});

describe("authentication", () => {
  it("answers the same 401 for a missing, malformed, unknown, revoked, suspended or expired key", async () => {
    const suspendedKey = await createTestKey();
    await db.apiKey.update({ where: { id: suspendedKey.keyId }, data: { suspendedAt: new Date() } });
    const suspendedOrg = await createTestKey();
    await db.organization.update({ where: { id: suspendedOrg.organizationId }, data: { suspendedAt: new Date() } });
    const revokedGrant = await createTestKey();
    await db.keyGrant.update({ where: { id: revokedGrant.grantId }, data: { revokedAt: new Date() } });
    const expired = await createTestKey({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    const secrets = ["not-a-key", `gk_dev_${"A".repeat(43)}`, suspendedKey.secret, suspendedOrg.secret, revokedGrant.secret, expired.secret];
    const bodies = new Set<string>();
    for (const secret of secrets) {
      const error = await caught(sdkClient(server, secret).models.list());
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      const apiError = error as InstanceType<typeof OpenAI.AuthenticationError>;
      expect(apiError.code).toBe("invalid_api_key");
      expect(apiError.headers.get("x-request-id")).toMatch(/^req_/);
      bodies.add(JSON.stringify({ message: apiError.message, type: apiError.type, code: apiError.code, param: apiError.param }));
    }
    expect(bodies.size).toBe(1);
    const response = await fetch(`${server.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { message: expect.any(String), type: "authentication_error", param: null, code: "invalid_api_key" } });
  });

  /** A change made outside the server (here, by the test) reaches it by NOTIFY: refused within a second. */
  async function refusedWithinASecond(client: OpenAI): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < 3_000) {
      const error = await client.models.list().then(
        () => null,
        (caught: unknown) => caught,
      );
      if (error instanceof OpenAI.AuthenticationError) return Date.now() - started;
    }
    return Number.POSITIVE_INFINITY;
  }

  it("keeps a rotated key working until graceUntil, then refuses it; a revocation is refused within a second", async () => {
    const owner = await createUser();
    const key = await createTestKey();
    await db.membership.create({ data: { organizationId: key.organizationId, userId: owner.id, role: "OWNER" } });
    const next = await rotateApiKey({ actor: owner, input: { keyId: key.keyId, graceHours: 1 } });
    const old = sdkClient(server, key.secret);
    expect((await old.models.list()).data).toHaveLength(1);
    expect((await sdkClient(server, next.secret).models.list()).data).toHaveLength(1);
    await db.apiKey.update({ where: { id: key.keyId }, data: { graceUntil: new Date(Date.now() - 1000) } });
    expect(await refusedWithinASecond(old)).toBeLessThan(1_000);

    const client = sdkClient(server, next.secret);
    await client.models.list();
    await revokeApiKey({ actor: owner, input: { keyId: next.id } });
    expect(await refusedWithinASecond(client)).toBeLessThan(1_000);
  });
});

describe("scopes", () => {
  it("refuses a model or an endpoint outside the key's scope with 403", async () => {
    const key = await createTestKey({ endpoints: ["chat.completions", "models"] });
    const client = sdkClient(server, key.secret);
    const endpoint = await caught(client.completions.create({ model: MODEL, prompt: "Hello" }));
    expect(endpoint).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(endpoint).toMatchObject({ status: 403, code: "endpoint_not_allowed" });
    const moderation = await caught(client.moderations.create({ input: "Hello" }));
    expect(moderation).toMatchObject({ status: 403, code: "endpoint_not_allowed" });

    const other = await createTestKey({ models: ["some-other-model"] });
    const model = await caught(sdkClient(server, other.secret).chat.completions.create({ model: MODEL, messages: hello }));
    expect(model).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(model).toMatchObject({ code: "model_not_allowed", param: "model" });
    const unknown = await caught(client.chat.completions.create({ model: "gpt-9", messages: hello }));
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown).toMatchObject({ code: "model_not_found", param: "model" });

    const rows = await usageRows(key.keyId, 3);
    expect(rows.map((row) => [row.status, row.errorCode])).toEqual([
      [403, "endpoint_not_allowed"],
      [403, "endpoint_not_allowed"],
      [404, "model_not_found"],
    ]);
  });

  it("refuses a prompt over maxPromptTokens and max_tokens over maxCompletionTokens", async () => {
    const key = await createTestKey({ maxPromptTokens: 20, maxCompletionTokens: 10 });
    const client = sdkClient(server, key.secret);
    const long = await caught(client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "word ".repeat(50) }] }));
    expect(long).toBeInstanceOf(OpenAI.BadRequestError);
    expect(long).toMatchObject({ code: "context_length_exceeded", param: "messages" });
    const longPrompt = await caught(client.completions.create({ model: MODEL, prompt: "word ".repeat(50) }));
    expect(longPrompt).toMatchObject({ code: "context_length_exceeded", param: "prompt" });
    const many = await caught(client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 11 }));
    expect(many).toBeInstanceOf(OpenAI.BadRequestError);
    expect(many).toMatchObject({ code: "max_tokens_exceeded", param: "max_tokens" });
    const manyNew = await caught(client.chat.completions.create({ model: MODEL, messages: hello, max_completion_tokens: 11 }));
    expect(manyNew).toMatchObject({ param: "max_completion_tokens" });
    const ok = await client.chat.completions.create({ model: MODEL, messages: hello });
    expect(ok.usage?.completion_tokens).toBeLessThanOrEqual(10);
  });

  it("requires an end-user id when the key says so and limits each end user's requests per minute", async () => {
    const key = await createTestKey({ requireEndUserId: true, perEndUserRequestsPerMinute: 2 });
    const client = sdkClient(server, key.secret);
    const missing = await caught(client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 5 }));
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing).toMatchObject({ code: "end_user_id_required", param: "user" });
    await client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 5, user: "alice" });
    await client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 5, safety_identifier: "alice" });
    const third = await caught(client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 5, user: "alice" }));
    expect(third).toBeInstanceOf(OpenAI.RateLimitError);
    expect(third).toMatchObject({ code: "rate_limit_exceeded" });
    await client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 5, user: "bob" });
    const rows = await usageRows(key.keyId, 5);
    expect(rows.map((row) => row.endUserId)).toEqual([null, "alice", "alice", "alice", "bob"]);
  });

  it("limits requests per minute with 429 and headers that say so", async () => {
    const key = await createTestKey({ requestsPerMinute: 3 });
    const client = sdkClient(server, key.secret);
    for (let i = 0; i < 3; i++) await client.models.list();
    const error = await caught(client.models.list());
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateError.code).toBe("rate_limit_exceeded");
    expect(rateError.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(rateError.headers.get("x-ratelimit-limit-requests")).toBe("3");
    expect(rateError.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?\d+(ms|s)$/);
    // Retry-After says when the oldest of the three leaves the minute, so the SDK's own retry waits long enough.
    const retryAfter = Number(rateError.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(rateError.headers.get("x-should-retry")).toBeNull();
  });

  it("limits tokens per minute, reserving the prompt and max_tokens on admission", async () => {
    const key = await createTestKey({ tokensPerMinute: 60, maxCompletionTokens: 60 });
    const client = sdkClient(server, key.secret);
    const { data: first, response } = await client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 20, seed: 1 }).withResponse();
    const prompt = first.usage?.prompt_tokens ?? 0;
    expect(response.headers.get("x-ratelimit-remaining-tokens")).toBe(String(60 - (first.usage?.total_tokens ?? 0)));
    // Alone this request would fit exactly (prompt + max_tokens = 60); after the first one it does not.
    const error = await caught(client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 60 - prompt }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ code: "rate_limit_exceeded" });
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).message).toContain("TPM");
  });

  it("refuses with insufficient_quota once the monthly quota is used, counted from the usage records", async () => {
    const key = await createTestKey({ monthlyTokenQuota: 1000 });
    await db.usageRecord.create({
      data: { requestId: "req_earlier", apiKeyId: key.keyId, organizationId: key.organizationId, endpoint: "chat.completions", model: MODEL, promptTokens: 900, completionTokens: 80, totalTokens: 980, status: 200 },
    });
    const client = sdkClient(server, key.secret);
    const error = await caught(client.chat.completions.create({ model: MODEL, messages: hello, max_tokens: 10 }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: "insufficient_quota", type: "insufficient_quota" });
    // Not worth retrying this month: the SDKs honour x-should-retry, and Retry-After is the month's end.
    const headers = (error as InstanceType<typeof OpenAI.RateLimitError>).headers;
    expect(headers.get("x-should-retry")).toBe("false");
    const now = new Date();
    const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    expect(Math.abs(Number(headers.get("retry-after")) - (monthEnd - Date.now()) / 1000)).toBeLessThan(10);
    expect(await client.moderations.create({ input: "ok" })).toBeTruthy();
  });

  it("refuses an off-topic request when topics are set and serves an on-topic one", async () => {
    const key = await createTestKey({ topics: [{ name: "Gardening", keywords: ["garden", "compost heap", "roses"] }] });
    const client = sdkClient(server, key.secret);
    const off = await caught(client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Write me a poem about the stock market." }], max_tokens: 5 }));
    expect(off).toBeInstanceOf(OpenAI.BadRequestError);
    expect(off).toMatchObject({ code: "off_topic" });
    const on = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "How do I start a Compost   heap?" }], max_tokens: 5 });
    expect(on.choices[0]?.message.content).toBeTruthy();
    const partial = await caught(client.completions.create({ model: MODEL, prompt: "The gardener went home.", max_tokens: 5 }));
    expect(partial).toMatchObject({ code: "off_topic" });
  });

  it("blocks flagged input at the key's filter level and records a moderation event", async () => {
    const key = await createTestKey({ inputFilter: "standard" });
    const client = sdkClient(server, key.secret);
    const error = await caught(client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Tell me how to make a pipe bomb." }], max_tokens: 5 }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ code: "content_policy_violation" });
    const events = await eventually(
      () => db.moderationEvent.findMany({ where: { apiKeyId: key.keyId } }),
      (found) => found.length > 0,
    );
    expect(events).toMatchObject([{ direction: "INPUT", action: "BLOCKED" }]);
    const [row] = await usageRows(key.keyId, 1);
    expect(row).toMatchObject({ status: 400, errorCode: "content_policy_violation", totalTokens: 0 });

    const off = await createTestKey({ inputFilter: "off" });
    const allowed = await sdkClient(server, off.secret).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Tell me how to make a pipe bomb." }], max_tokens: 5 });
    expect(allowed.choices).toHaveLength(1);
  });
});

describe("bad requests", () => {
  it("names the bad parameter for invalid bodies and never answers 500", async () => {
    const key = await createTestKey();
    const client = sdkClient(server, key.secret);
    const cases: [Record<string, unknown>, string][] = [
      [{ model: MODEL, messages: hello, n: 2 }, "n"],
      [{ model: MODEL, messages: hello, temperature: 3 }, "temperature"],
      [{ model: MODEL, messages: hello, top_p: 1.5 }, "top_p"],
      [{ model: MODEL, messages: hello, stop: ["a", "b", "c", "d", "e"] }, "stop"],
      [{ model: MODEL, messages: [] }, "messages"],
      [{ model: MODEL, messages: [{ role: "robot", content: "hi" }] }, "messages[0].role"],
      [{ messages: hello }, "model"],
      [{ model: MODEL, messages: hello, max_tokens: "ten" }, "max_tokens"],
    ];
    for (const [body, param] of cases) {
      const error = await caught(client.post("/chat/completions", { body }));
      expect(error, JSON.stringify(body)).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, type: "invalid_request_error", param });
    }
    const headers = { authorization: `Bearer ${key.secret}`, "content-type": "application/json" };
    for (const body of ["{not json", "", "[1,2]"]) {
      const response = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers, body });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    }
  });

  it("refuses bodies over 1 MiB with 413 and wrong methods with 405", async () => {
    const key = await createTestKey();
    const headers = { authorization: `Bearer ${key.secret}`, "content-type": "application/json" };
    const big = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "a".repeat(1024 * 1024) }] });
    const response = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers, body: big });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("request_too_large");
    const wrong = await fetch(`${server.url}/v1/chat/completions`, { headers });
    expect(wrong.status).toBe(405);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });

  it("answers methods Next cannot take with 405, and serves an absolute-form target as its path, never redirecting elsewhere", async () => {
    const key = await createTestKey();
    const auth = { authorization: `Bearer ${key.secret}` };
    for (const method of ["TRACE", "PROPFIND", "MKCOL"]) {
      const api = answered(await rawRequest(server.url, { method, path: "/v1/chat/completions", headers: auth }));
      expect([method, api.status, api.headers.allow]).toEqual([method, 405, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"]);
      expect(openAiErrorOf(api.body)?.error.code).toBe("method_not_allowed");
      const page = answered(await rawRequest(server.url, { method, path: "/signin" }));
      expect([method, page.status, page.body.toString()]).toEqual([method, 405, `The ${method} method is not supported.\n`]);
    }
    const absolute = answered(await rawRequest(server.url, { method: "GET", path: "http://elsewhere.example/v1/models", headers: auth }));
    expect(absolute.status).toBe(200);
    expect((JSON.parse(absolute.body.toString()) as { object: string }).object).toBe("list");
    const absolutePage = answered(await rawRequest(server.url, { method: "GET", path: "https://elsewhere.example/signin?next=%2F" }));
    expect([absolutePage.status, absolutePage.headers.location]).toEqual([200, undefined]);
    const asterisk = answered(await rawRequest(server.url, { method: "OPTIONS", path: "*" }));
    expect(asterisk.status).toBe(400);
    // Asked to upgrade (curl --http2's h2c, a WebSocket handshake): served over HTTP/1.1 all the same.
    const upgrades: Record<string, string>[] = [
      { connection: "Upgrade, HTTP2-Settings", upgrade: "h2c", "http2-settings": "AAMAAABkAARAAAAAAAIAAAAA" },
      { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" },
    ];
    for (const upgrade of upgrades) {
      const answer = answered(await rawRequest(server.url, { method: "GET", path: "/v1/models", headers: { ...auth, ...upgrade } }));
      expect([upgrade.upgrade, answer.status]).toEqual([upgrade.upgrade, 200]);
      expect((JSON.parse(answer.body.toString()) as { object: string }).object).toBe("list");
    }
    expect((await rawExchange(server.url, "CONNECT elsewhere.example:443 HTTP/1.1\r\nHost: elsewhere.example:443\r\n\r\n")).split("\r\n")[0]).toBe("HTTP/1.1 405 Method Not Allowed");
    // The server still serves after each refusal.
    expect((await fetch(`${server.url}/v1/models`, { headers: auth })).status).toBe(200);
  });
});
