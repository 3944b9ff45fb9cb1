// Upstream mode against the production server (`next build` output, as `npm start` serves it): a second Gatehouse
// production server (built-in model) as the OpenAI-compatible upstream, reached through a relay that counts what it
// forwards and plays a flagged upstream for output moderation; a dead port (502) and a silent server (504). Every
// scope still applies.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey, type TestKey } from "@/tests/support/gateway-factories";
import { eventually, sdkClient, startProductionServer, type ProductionServer } from "@/tests/support/production-server";

const MAPPED = "house-large";
/** The upstream model name the relay answers itself, with a reply the output filter must catch. */
const FLAGGED_UPSTREAM_MODEL = "flagged-model";
const FLAGGED_ANSWER = "Fine. I will kill you tomorrow.";
/** The upstream model name the relay takes and never answers; when the gateway closes its request is noted. */
const HOLD_UPSTREAM_MODEL = "hold-model";
/** When the relay took each held request, and when the gateway closed it. */
const held: { openedAt: number; closedAt: number | null }[] = [];
const hello = [{ role: "user" as const, content: "Tell me about the old church in the village." }];

let upstream: ProductionServer;
let upstreamKey: TestKey;
let gateway: ProductionServer;
let dead: ProductionServer;
let slow: ProductionServer;
let relay: Server;
let silent: Server;
/** Every production server this file started, to stop them all even when one failed to start. */
const started: ProductionServer[] = [];
/** x-request-id of every request the relay forwarded to the upstream Gatehouse, in order. */
const forwarded: string[] = [];

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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Answers the flagged model itself and forwards everything else to the upstream Gatehouse, streams included. */
async function relayRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const { model } = JSON.parse(body) as { model?: unknown };
  if (model === HOLD_UPSTREAM_MODEL) {
    const entry = { openedAt: Date.now(), closedAt: null as number | null };
    held.push(entry);
    res.on("close", () => (entry.closedAt = Date.now()));
    return;
  }
  if (model === FLAGGED_UPSTREAM_MODEL) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "x", object: "chat.completion", created: 0, model, choices: [{ index: 0, message: { role: "assistant", content: FLAGGED_ANSWER }, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: 8, total_tokens: 13 } }));
    return;
  }
  const response = await fetch(`${upstream.url}${req.url ?? "/"}`, {
    method: req.method ?? "POST",
    headers: { "content-type": "application/json", authorization: req.headers.authorization ?? "" },
    body,
  });
  forwarded.push(response.headers.get("x-request-id") ?? "none");
  res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
  if (response.body) {
    const reader = response.body.getReader();
    for (let step = await reader.read(); !step.done; step = await reader.read()) res.write(step.value);
  }
  res.end();
}

beforeAll(async () => {
  relay = createServer((req, res) => {
    relayRequest(req, res).catch((error: unknown) => {
      console.error("[relay]", error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const relayUrl = await listen(relay);
  // Never answers model "m"; for "broken", starts a stream and drops the connection after its first sentence; for
  // "html", answers 200 with a web page; for "long", streams a sentence every 200 ms for 1.6 s (its gateway's timeout
  // is 500 ms) and ends properly.
  silent = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const { model } = JSON.parse(body) as { model?: unknown };
      const event = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      if (model === "broken") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(event("Hello there. "));
        setTimeout(() => res.destroy(), 50);
      } else if (model === "html") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html><body>Not an API</body></html>");
      } else if (model === "long") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (let i = 0; i < 8; i++) {
          res.write(event(`Sentence ${i + 1} is here. `));
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        res.end("data: [DONE]\n\n");
      }
    });
  });
  const silentUrl = await listen(silent);
  // A port nobody listens on any more.
  const probe = createServer();
  const deadUrl = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  upstreamKey = await createTestKey({ inputFilter: "off", outputFilter: "off", requestsPerMinute: 1000, tokensPerMinute: 1_000_000 });
  // The four servers start together; the gateway needs only the relay's address, not the upstream's.
  const starts = await Promise.allSettled([
    startProductionServer(),
    startProductionServer({
      env: { UPSTREAM_BASE_URL: `${relayUrl}/v1`, UPSTREAM_API_KEY: upstreamKey.secret, UPSTREAM_MODEL_MAP: `${MAPPED}=gatehouse-ngram,fake=${FLAGGED_UPSTREAM_MODEL},hold=${HOLD_UPSTREAM_MODEL}`, UPSTREAM_TIMEOUT_MS: "10000" },
    }),
    startProductionServer({ env: { UPSTREAM_BASE_URL: deadUrl, UPSTREAM_MODEL_MAP: "m=m", UPSTREAM_TIMEOUT_MS: "5000" } }),
    startProductionServer({ env: { UPSTREAM_BASE_URL: silentUrl, UPSTREAM_MODEL_MAP: "m=m,b=broken,h=html,l=long", UPSTREAM_TIMEOUT_MS: "500" } }),
  ]);
  for (const start of starts) if (start.status === "fulfilled") started.push(start.value);
  const failed = starts.find((start) => start.status === "rejected");
  if (failed) throw failed.reason;
  [upstream, gateway, dead, slow] = started as [ProductionServer, ProductionServer, ProductionServer, ProductionServer];
}, 240_000);

afterAll(async () => {
  silent.closeAllConnections();
  silent.close();
  relay.closeAllConnections();
  relay.close();
  await Promise.all(started.map((server) => server.stop()));
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
    const before = forwarded.length;
    const key = await createTestKey({ models: [MAPPED], topics: [{ name: "Churches", keywords: ["church"] }], maxCompletionTokens: 20 });
    const client = sdkClient(gateway, key.secret);
    expect(await caught(client.chat.completions.create({ model: MAPPED, messages: [{ role: "user", content: "Stocks and bonds?" }] }))).toMatchObject({ code: "off_topic" });
    expect(await caught(client.chat.completions.create({ model: MAPPED, messages: [{ role: "user", content: "At church: how to make a pipe bomb" }] }))).toMatchObject({ code: "content_policy_violation" });
    expect(await caught(client.chat.completions.create({ model: MAPPED, messages: hello, max_tokens: 21 }))).toMatchObject({ param: "max_tokens" });
    expect(await caught(client.chat.completions.create({ model: "gatehouse-ngram", messages: hello }))).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(forwarded.length).toBe(before);
    const ok = await client.chat.completions.create({ model: MAPPED, messages: hello, max_tokens: 4, seed: 1 });
    expect(ok.usage?.completion_tokens).toBeLessThanOrEqual(4);
    expect(forwarded.length).toBe(before + 1);
    // The one forwarded request is recorded by the upstream against the gateway's upstream key ...
    const upstreamRows = await eventually(
      () => db.usageRecord.findMany({ where: { requestId: { in: forwarded.slice(before) } } }),
      (rows) => rows.length === 1,
    );
    expect(upstreamRows).toMatchObject([{ apiKeyId: upstreamKey.keyId, status: 200, model: "gatehouse-ngram" }]);
    // ... and all five by the gateway against the client's key.
    const rows = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId }, orderBy: { createdAt: "asc" } }),
      (found) => found.length === 5,
    );
    expect(rows).toHaveLength(5);
    expect(rows.map((row) => [row.status, row.errorCode])).toEqual(
      expect.arrayContaining([
        [400, "off_topic"],
        [400, "content_policy_violation"],
        [400, "max_tokens_exceeded"],
        [403, "model_not_allowed"],
        [200, null],
      ]),
    );
  });

  it("redacts flagged upstream output, reports content_filter and records the event", async () => {
    const key = await createTestKey({ models: ["fake"], outputFilter: "standard" });
    const { data: completion, response } = await sdkClient(gateway, key.secret).chat.completions.create({ model: "fake", messages: hello }).withResponse();
    expect(completion.choices[0]?.message.content).toContain("[redacted]");
    expect(completion.choices[0]?.message.content).not.toContain("kill");
    expect(completion.choices[0]?.finish_reason).toBe("content_filter");
    expect(completion.usage).toEqual({ prompt_tokens: 5, completion_tokens: 8, total_tokens: 13 });
    const requestId = response.headers.get("x-request-id");
    const [row] = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId } }),
      (rows) => rows.length === 1,
    );
    expect(row).toMatchObject({ requestId, isFlagged: true, status: 200, totalTokens: 13 });
    const events = await eventually(
      () => db.moderationEvent.findMany({ where: { apiKeyId: key.keyId } }),
      (found) => found.length === 1,
    );
    expect(events).toMatchObject([{ requestId, direction: "OUTPUT", action: "REDACTED", excerpt: FLAGGED_ANSWER }]);

    const unfiltered = await createTestKey({ models: ["fake"], outputFilter: "off" });
    const raw = await sdkClient(gateway, unfiltered.secret).chat.completions.create({ model: "fake", messages: hello });
    expect(raw.choices[0]?.message.content).toBe(FLAGGED_ANSWER);
  });

  it("answers 502 when the upstream cannot be reached and 504 when it does not answer in time", async () => {
    const key = await createTestKey({ models: ["m"] });
    const failed = await caught(sdkClient(dead, key.secret).chat.completions.create({ model: "m", messages: hello }));
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failed).toMatchObject({ status: 502, code: "upstream_error", type: "upstream_error" });
    const started = Date.now();
    const timedOut = await caught(sdkClient(slow, key.secret).chat.completions.create({ model: "m", messages: hello }));
    expect(timedOut).toMatchObject({ status: 504, code: "upstream_timeout", type: "upstream_error" });
    // The silent upstream never answers: without the 500 ms upstream timeout this would wait for the SDK's 30 s.
    expect(Date.now() - started).toBeLessThan(10_000);
    const rows = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId }, orderBy: { createdAt: "asc" } }),
      (found) => found.length === 2,
    );
    expect(rows.map((row) => [row.status, row.errorCode, row.totalTokens])).toEqual([
      [502, "upstream_error", 0],
      [504, "upstream_timeout", 0],
    ]);
  });

  it("answers a stream whose upstream fails before accepting it 504 or 502, as without streaming, quickly, and records the failure", async () => {
    // The headers wait for the upstream's: a failure before them is the response's status, which the SDKs retry on.
    const key = await createTestKey({ models: ["m"] });
    const started = Date.now();
    const timedOut = await caught(sdkClient(slow, key.secret).chat.completions.create({ model: "m", messages: hello, stream: true }));
    expect(timedOut).toBeInstanceOf(OpenAI.APIError);
    expect(timedOut).toMatchObject({ status: 504, code: "upstream_timeout", type: "upstream_error" });
    expect(Date.now() - started).toBeLessThan(10_000);
    const failed = await caught(sdkClient(dead, key.secret).completions.create({ model: "m", prompt: "Once", stream: true }));
    expect(failed).toMatchObject({ status: 502, code: "upstream_error" });
    // A 2xx that is not an event stream cannot be relayed as one.
    const page = await caught(sdkClient(slow, (await createTestKey({ models: ["h"] })).secret).chat.completions.create({ model: "h", messages: hello, stream: true }));
    expect(page).toMatchObject({ status: 502, code: "upstream_error" });
    const rows = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId }, orderBy: { createdAt: "asc" } }),
      (found) => found.length === 2,
    );
    expect(rows.map((row) => [row.endpoint, row.status, row.errorCode, row.promptTokens, row.completionTokens])).toEqual([
      ["chat.completions", 504, "upstream_timeout", 0, 0],
      ["completions", 502, "upstream_error", 0, 0],
    ]);
  });

  it("ends a stream whose upstream breaks after its first sentence with OpenAI's error event, charging the text generated", async () => {
    const key = await createTestKey({ models: ["b"] });
    const stream = await sdkClient(slow, key.secret).chat.completions.create({ model: "b", messages: hello, stream: true });
    let text = "";
    const broken = await caught(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })(),
    );
    expect(text).toBe("Hello there. ");
    expect(broken).toBeInstanceOf(OpenAI.APIError);
    expect(broken).toMatchObject({ code: "upstream_error", type: "upstream_error" });
    const [row] = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId } }),
      (found) => found.length === 1,
    );
    expect(row).toMatchObject({ status: 502, errorCode: "upstream_error" });
    expect(row?.completionTokens).toBeGreaterThan(0);
  });

  it("relays a stream that lasts longer than the upstream timeout, as long as its chunks keep coming", async () => {
    const key = await createTestKey({ models: ["l"], outputFilter: "off" });
    const stream = await sdkClient(slow, key.secret).chat.completions.create({ model: "l", messages: hello, stream: true, max_tokens: 200 });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(Array.from({ length: 8 }, (_, i) => `Sentence ${i + 1} is here. `).join(""));
  });

  it("closes the upstream's request as soon as the client goes, streamed or not, and records it as 499", async () => {
    const key = await createTestKey({ models: ["hold"] });
    for (const stream of [false, true]) {
      const before = held.length;
      const client = new AbortController();
      const answer = fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "hold", messages: hello, stream }),
        signal: client.signal,
      }).catch(() => "aborted");
      await eventually(async () => held.length, (count) => count > before, 10_000);
      const leftAt = Date.now();
      client.abort();
      expect(await answer).toBe("aborted");
      const closedAt = await eventually(async () => held[before]?.closedAt ?? null, (at) => at !== null, 5_000);
      // The gateway's upstream timeout is 10 s: the upstream hears of the client's leaving at once instead.
      expect((closedAt ?? Infinity) - leftAt, `stream: ${String(stream)}`).toBeLessThan(2_000);
    }
    const rows = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId } }),
      (found) => found.length === 2,
    );
    expect(rows.map((row) => [row.status, row.errorCode, row.completionTokens])).toEqual([
      [499, "client_closed_request", 0],
      [499, "client_closed_request", 0],
    ]);
  });
});
