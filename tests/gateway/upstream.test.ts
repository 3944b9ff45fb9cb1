// Upstream mode: a second real Gatehouse server (built-in model) as the OpenAI-compatible upstream, a fake
// upstream for output moderation, a dead port (502) and a silent server (504); every scope still applies.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey, sdkClient, startGatewayServer, testGatewayConfig, type TestKey, type TestServer } from "@/tests/support/gateway-factories";

const MAPPED = "house-large";
const hello = [{ role: "user" as const, content: "Tell me about the old church in the village." }];

let upstream: TestServer;
let upstreamKey: TestKey;
let gateway: TestServer;
let fake: Server;
let fakeUrl: string;
let silent: Server;
let silentUrl: string;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  upstream = await startGatewayServer();
  upstreamKey = await createTestKey({ inputFilter: "off", outputFilter: "off", requestsPerMinute: 1000, tokensPerMinute: 1_000_000 });
  gateway = await startGatewayServer(testGatewayConfig({ baseUrl: `${upstream.url}/v1`, apiKey: upstreamKey.secret, modelMap: { [MAPPED]: "gatehouse-ngram" }, timeoutMs: 10_000 }));
  // A fake upstream whose answer the output filter must catch.
  fake = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "x", object: "chat.completion", created: 0, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "Fine. I will kill you tomorrow." }, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: 8, total_tokens: 13 } }));
    });
  });
  fakeUrl = await listen(fake);
  // Accepts the connection and never answers.
  silent = createServer(() => undefined);
  silentUrl = await listen(silent);
}, 180_000);

afterAll(async () => {
  fake.closeAllConnections();
  silent.closeAllConnections();
  fake.close();
  silent.close();
  await gateway.close();
  await upstream.close();
});

describe("forwarding to an OpenAI-compatible upstream", () => {
  it("lists the mapped model and answers through the upstream exactly as the upstream would", async () => {
    const key = await createTestKey({ models: [MAPPED, "gatehouse-ngram"] });
    const client = sdkClient(gateway, key.secret);
    expect((await client.models.list()).data.map((model) => model.id).sort()).toEqual(["gatehouse-ngram", MAPPED]);
    const request = { messages: hello, max_tokens: 30, seed: 11, temperature: 0.9 };
    const viaGateway = await client.chat.completions.create({ model: MAPPED, ...request });
    const direct = await sdkClient(upstream, upstreamKey.secret).chat.completions.create({ model: "gatehouse-ngram", ...request });
    expect(viaGateway.model).toBe(MAPPED);
    expect(viaGateway.choices[0]?.message.content).toBe(direct.choices[0]?.message.content);
    expect(viaGateway.usage).toEqual(direct.usage);

    const stream = await client.chat.completions.create({ model: MAPPED, ...request, stream: true, stream_options: { include_usage: true } });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(direct.choices[0]?.message.content);

    const completion = await client.completions.create({ model: MAPPED, prompt: "The committee decided that", max_tokens: 15, seed: 4 });
    const directCompletion = await sdkClient(upstream, upstreamKey.secret).completions.create({ model: "gatehouse-ngram", prompt: "The committee decided that", max_tokens: 15, seed: 4 });
    expect(completion.choices[0]?.text).toBe(directCompletion.choices[0]?.text);
    const completionStream = await client.completions.create({ model: MAPPED, prompt: "The committee decided that", max_tokens: 15, seed: 4, stream: true });
    let streamed = "";
    for await (const chunk of completionStream) streamed += chunk.choices[0]?.text ?? "";
    expect(streamed).toBe(directCompletion.choices[0]?.text);
  });

  it("enforces scopes before the upstream is called: the upstream sees no refused request", async () => {
    await upstream.runtime.usage.flush();
    const before = await db.usageRecord.count({ where: { apiKeyId: upstreamKey.keyId } });
    const key = await createTestKey({ models: [MAPPED], topics: [{ name: "Churches", keywords: ["church"] }], maxCompletionTokens: 20 });
    const client = sdkClient(gateway, key.secret);
    expect(await caught(client.chat.completions.create({ model: MAPPED, messages: [{ role: "user", content: "Stocks and bonds?" }] }))).toMatchObject({ code: "off_topic" });
    expect(await caught(client.chat.completions.create({ model: MAPPED, messages: [{ role: "user", content: "At church: how to make a pipe bomb" }] }))).toMatchObject({ code: "content_policy_violation" });
    expect(await caught(client.chat.completions.create({ model: MAPPED, messages: hello, max_tokens: 21 }))).toMatchObject({ param: "max_tokens" });
    expect(await caught(client.chat.completions.create({ model: "gatehouse-ngram", messages: hello }))).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const ok = await client.chat.completions.create({ model: MAPPED, messages: hello, max_tokens: 4, seed: 1 });
    expect(ok.usage?.completion_tokens).toBeLessThanOrEqual(4);
    await upstream.runtime.usage.flush();
    expect(await db.usageRecord.count({ where: { apiKeyId: upstreamKey.keyId } })).toBe(before + 1);
  });

  it("redacts flagged upstream output, reports content_filter and records the event", async () => {
    const server = await startGatewayServer(testGatewayConfig({ baseUrl: fakeUrl, apiKey: undefined, modelMap: { fake: "m" }, timeoutMs: 5_000 }));
    try {
      const key = await createTestKey({ models: ["fake"], outputFilter: "standard" });
      const completion = await sdkClient(server, key.secret).chat.completions.create({ model: "fake", messages: hello });
      expect(completion.choices[0]?.message.content).toContain("[redacted]");
      expect(completion.choices[0]?.message.content).not.toContain("kill");
      expect(completion.choices[0]?.finish_reason).toBe("content_filter");
      expect(completion.usage).toEqual({ prompt_tokens: 5, completion_tokens: 8, total_tokens: 13 });
      await server.runtime.usage.flush();
      expect(await db.usageRecord.findFirst({ where: { apiKeyId: key.keyId } })).toMatchObject({ isFlagged: true, status: 200 });
      expect(await db.moderationEvent.findMany({ where: { apiKeyId: key.keyId } })).toMatchObject([{ direction: "OUTPUT", action: "REDACTED" }]);

      const unfiltered = await createTestKey({ models: ["fake"], outputFilter: "off" });
      const raw = await sdkClient(server, unfiltered.secret).chat.completions.create({ model: "fake", messages: hello });
      expect(raw.choices[0]?.message.content).toBe("Fine. I will kill you tomorrow.");
    } finally {
      await server.close();
    }
  });

  it("answers 502 when the upstream cannot be reached and 504 when it does not answer in time", async () => {
    const probe = createServer();
    const deadUrl = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dead = await startGatewayServer(testGatewayConfig({ baseUrl: deadUrl, apiKey: undefined, modelMap: { m: "m" }, timeoutMs: 5_000 }));
    const slow = await startGatewayServer(testGatewayConfig({ baseUrl: silentUrl, apiKey: undefined, modelMap: { m: "m" }, timeoutMs: 500 }));
    try {
      const key = await createTestKey({ models: ["m"] });
      const failed = await caught(sdkClient(dead, key.secret).chat.completions.create({ model: "m", messages: hello }));
      expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
      expect(failed).toMatchObject({ status: 502, code: "upstream_error" });
      const started = Date.now();
      const timedOut = await caught(sdkClient(slow, key.secret).chat.completions.create({ model: "m", messages: hello, stream: true }));
      expect(timedOut).toMatchObject({ status: 504, code: "upstream_timeout" });
      expect(Date.now() - started).toBeLessThan(3_000);
      await dead.runtime.usage.flush();
      await slow.runtime.usage.flush();
      const rows = await db.usageRecord.findMany({ where: { apiKeyId: key.keyId }, orderBy: { createdAt: "asc" } });
      expect(rows.map((row) => [row.status, row.errorCode, row.totalTokens])).toEqual([
        [502, "upstream_error", 0],
        [504, "upstream_timeout", 0],
      ]);
    } finally {
      await dead.close();
      await slow.close();
    }
  });
});
