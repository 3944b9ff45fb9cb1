// True streaming on the production server: text goes out as it is generated (built-in model and an upstream that
// the test serves slowly), output moderation holds back only the sentence being judged so a flagged phrase never
// reaches the client, and a client that goes away closes the upstream request and is charged only what was generated.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey } from "@/tests/support/gateway-factories";
import { eventually, startProductionServer, type ProductionServer } from "@/tests/support/production-server";

const SENTENCES = ["The harbour was quiet that morning. ", "Boats rocked against the old pier. ", "I will kill you tomorrow. ", "Gulls circled over the fish market. ", "Then the rain came in from the west."];
const CHUNK_MS = 50;

let upstream: Server;
let upstreamUrl: string;
const closedEarly: { at: number }[] = [];
let server: ProductionServer;

/** Words of SENTENCES, one SSE chunk every CHUNK_MS, like a slow model. */
function serveSlowly(response: ServerResponse): void {
  const words = SENTENCES.join("").match(/\S+\s*/g) ?? [];
  response.writeHead(200, { "content-type": "text/event-stream" });
  let index = 0;
  let finished = false;
  // The response's close: the answer was sent, or the gateway closed the connection before the end.
  response.on("close", () => {
    if (!finished) closedEarly.push({ at: Date.now() });
    clearInterval(timer);
  });
  const timer = setInterval(() => {
    const word = words[index++];
    if (word === undefined) {
      finished = true;
      clearInterval(timer);
      response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 9, completion_tokens: words.length } })}\n\n`);
      response.end("data: [DONE]\n\n");
      return;
    }
    response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
  }, CHUNK_MS);
}

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const parsed = JSON.parse(body) as { stream?: boolean };
      if (parsed.stream) serveSlowly(response);
      else {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: SENTENCES.join("") }, finish_reason: "stop" }], usage: { prompt_tokens: 9, completion_tokens: 40 } }));
      }
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  server = await startProductionServer({ env: { UPSTREAM_BASE_URL: upstreamUrl, UPSTREAM_MODEL_MAP: "slow=slow-model", UPSTREAM_TIMEOUT_MS: "20000" } });
}, 180_000);
afterAll(async () => {
  await server.stop();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

interface Timed {
  at: number;
  data: string;
}

/** Posts a streamed chat completion and returns each SSE data line with its arrival time (ms after sending). */
async function streamChat(secret: string, body: Record<string, unknown>, { stopAfter }: { stopAfter?: number } = {}): Promise<{ events: Timed[]; status: number }> {
  const started = Date.now();
  const controller = new AbortController();
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ stream: true, ...body }),
    signal: controller.signal,
  });
  const events: Timed[] = [];
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    while (reader) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let end = buffered.indexOf("\n\n");
      while (end >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf("\n\n");
        if (line.startsWith("data: ")) events.push({ at: Date.now() - started, data: line.slice(6) });
      }
      if (stopAfter !== undefined && events.length >= stopAfter) {
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return { events, status: response.status };
}

const contentOf = (events: Timed[]) =>
  events
    .filter((event) => event.data !== "[DONE]")
    .map((event) => (JSON.parse(event.data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? "")
    .join("");

describe("streaming", () => {
  it("sends the built-in model's first chunk at once and its text as it is generated", async () => {
    const key = await createTestKey({ outputFilter: "off" });
    const { events, status } = await streamChat(key.secret, { model: "gatehouse-ngram", messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 60, seed: 5 });
    expect(status).toBe(200);
    expect(events.at(-1)?.data).toBe("[DONE]");
    expect(contentOf(events).length).toBeGreaterThan(0);
    // The role chunk goes out before the model has generated anything.
    expect(events[0]?.at).toBeLessThan(events.at(-1)?.at ?? 0);
  });

  it("passes an upstream's text on as it arrives: the first chunk comes long before the last", async () => {
    const key = await createTestKey({ models: ["gatehouse-ngram", "slow"], outputFilter: "off", maxCompletionTokens: 200 });
    const { events } = await streamChat(key.secret, { model: "slow", messages: [{ role: "user", content: "Describe the harbour." }], max_tokens: 200 });
    const firstText = events.find((event) => event.data !== "[DONE]" && contentOf([event]) !== "");
    const last = events.at(-1);
    expect(contentOf(events)).toBe(SENTENCES.join(""));
    // About 40 words at 50 ms each: the whole takes 2 s; the first words arrive within a few chunks.
    expect(last?.at ?? 0).toBeGreaterThan(1_500);
    expect(firstText?.at ?? Infinity).toBeLessThan(600);
  });

  it("never lets a flagged phrase reach the client: it is redacted, the stream ends with content_filter, and it is recorded", async () => {
    const key = await createTestKey({ models: ["gatehouse-ngram", "slow"], outputFilter: "standard", maxCompletionTokens: 200 });
    const { events } = await streamChat(key.secret, { model: "slow", messages: [{ role: "user", content: "Describe the harbour." }], max_tokens: 200 });
    const text = contentOf(events);
    expect(text).not.toMatch(/kill/i);
    expect(text).toContain("[redacted]");
    expect(text).toContain("Gulls circled over the fish market.");
    const finish = events
      .filter((event) => event.data !== "[DONE]")
      .map((event) => (JSON.parse(event.data) as { choices: { finish_reason: string | null }[] }).choices[0]?.finish_reason)
      .filter(Boolean);
    expect(finish).toEqual(["content_filter"]);
    // The text before the flagged sentence was sent before the flagged sentence was even generated in full.
    const firstText = events.find((event) => contentOf([event]).includes("harbour"));
    expect(firstText?.at ?? Infinity).toBeLessThan(events.at(-1)?.at ?? 0);
    const moderation = await eventually(
      () => db.moderationEvent.findMany({ where: { apiKeyId: key.keyId } }),
      (found) => found.length > 0,
    );
    expect(moderation[0]).toMatchObject({ direction: "OUTPUT", action: "REDACTED" });
  });

  it("closes the upstream request at once when the client goes away, and charges only what was generated", async () => {
    const key = await createTestKey({ models: ["gatehouse-ngram", "slow"], outputFilter: "off", maxCompletionTokens: 200 });
    const before = closedEarly.length;
    const abortedAt = Date.now();
    const { events } = await streamChat(key.secret, { model: "slow", messages: [{ role: "user", content: "Describe the harbour." }], max_tokens: 200 }, { stopAfter: 4 });
    expect(events.length).toBeGreaterThanOrEqual(4);
    const closed = await eventually(
      async () => closedEarly.slice(before),
      (found) => found.length > 0,
      5_000,
    );
    expect(closed).toHaveLength(1);
    // Closed long before the 2 s the whole answer takes.
    expect((closed[0]?.at ?? Infinity) - abortedAt).toBeLessThan(1_500);
    const [row] = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId } }),
      (rows) => rows.length > 0,
    );
    // Recorded as cut short by its client, not as a finished answer; charged what was generated.
    expect(row).toMatchObject({ status: 499, errorCode: "client_closed_request" });
    expect(row?.completionTokens).toBeGreaterThan(0);
    expect(row?.completionTokens).toBeLessThan(30);
  });
});
