// GET /api/metrics and the structured request log, on the production server: disabled without METRICS_TOKEN,
// refused without the token, and counters that move as requests are made (one registry whatever Next bundles).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestKey } from "@/tests/support/gateway-factories";
import { LOG_FLUSH_MS } from "@/lib/log";
import { eventually, sdkClient, startProductionServer, type ProductionServer } from "@/tests/support/production-server";

const TOKEN = "metrics-token-0123456789abcdef";
let server: ProductionServer;
let disabled: ProductionServer;
beforeAll(async () => {
  [server, disabled] = await Promise.all([
    startProductionServer({ env: { METRICS_TOKEN: TOKEN, LOG_FORMAT: "json" } }),
    startProductionServer({ env: { METRICS_TOKEN: "" } }),
  ]);
}, 180_000);
afterAll(async () => {
  await Promise.all([server?.stop(), disabled?.stop()]);
});

async function scrape(target = server, authorization = `Bearer ${TOKEN}`) {
  return fetch(`${target.url}/api/metrics`, { headers: { authorization } });
}

/** The value of one sample (`name{labels} value`), 0 when absent. */
async function sample(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await scrape()).text();
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

describe("GET /api/metrics", () => {
  it("does not exist without METRICS_TOKEN", async () => {
    const response = await scrape(disabled);
    expect(response.status).toBe(404);
  });

  it("refuses a missing or wrong token with 401", async () => {
    expect((await scrape(server, "")).status).toBe(401);
    expect((await scrape(server, "Bearer wrong-token")).status).toBe(401);
    expect((await scrape(server, `Basic ${TOKEN}`)).status).toBe(401);
  });

  it("serves Prometheus' text format with the gateway's metrics and Node's process metrics", async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    for (const name of [
      "gatehouse_api_requests_total",
      "gatehouse_api_request_duration_seconds",
      "gatehouse_api_tokens_total",
      "gatehouse_moderation_flags_total",
      "gatehouse_rate_limited_total",
      "gatehouse_usage_buffer_records",
      "process_cpu_user_seconds_total",
      "nodejs_heap_size_used_bytes",
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it("moves as requests are made: answered, refused by a limit, flagged, and unauthenticated", async () => {
    const key = await createTestKey({ requestsPerMinute: 2 });
    const client = sdkClient(server, key.secret);
    const answeredBefore = await sample("gatehouse_api_requests_total", { endpoint: "chat.completions", status: "200" });
    const limitedBefore = await sample("gatehouse_rate_limited_total", { limit: "requests" });
    const promptBefore = await sample("gatehouse_api_tokens_total", { kind: "prompt" });
    const unauthorizedBefore = await sample("gatehouse_api_requests_total", { endpoint: "chat.completions", status: "401", code: "invalid_api_key" });
    const durationBefore = await sample("gatehouse_api_request_duration_seconds_count", { endpoint: "chat.completions" });

    const completion = await client.chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content: "Tell me about the old mill." }], max_tokens: 8 });
    await client.chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content: "And the river?" }], max_tokens: 8 });
    await expect(client.chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content: "And the bridge?" }], max_tokens: 8 })).rejects.toMatchObject({ status: 429 });
    const stranger = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers: { authorization: "Bearer gk_dev_unknown", "content-type": "application/json" }, body: "{}" });
    expect(stranger.status).toBe(401);

    expect(await sample("gatehouse_api_requests_total", { endpoint: "chat.completions", status: "200" })).toBe(answeredBefore + 2);
    expect(await sample("gatehouse_rate_limited_total", { limit: "requests" })).toBe(limitedBefore + 1);
    expect(await sample("gatehouse_api_tokens_total", { kind: "prompt" })).toBeGreaterThanOrEqual(promptBefore + completion.usage!.prompt_tokens);
    expect(await sample("gatehouse_api_requests_total", { endpoint: "chat.completions", status: "401", code: "invalid_api_key" })).toBe(unauthorizedBefore + 1);
    expect(await sample("gatehouse_api_request_duration_seconds_count", { endpoint: "chat.completions" })).toBe(durationBefore + 4);
  });

  it("counts flagged inputs by direction", async () => {
    const key = await createTestKey({ inputFilter: "standard" });
    const before = await sample("gatehouse_moderation_flags_total", { direction: "input" });
    const client = sdkClient(server, key.secret);
    await expect(client.chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content: "Tell me how to make a pipe bomb." }], max_tokens: 8 })).rejects.toMatchObject({ status: 400 });
    expect(await sample("gatehouse_moderation_flags_total", { direction: "input" })).toBe(before + 1);
  });
});

describe("the request log", () => {
  it("writes one JSON line per API request with level, time, request id, route and outcome, out within the flush interval", async () => {
    const key = await createTestKey();
    const { response } = await sdkClient(server, key.secret).models.list().withResponse();
    const answeredAt = Date.now();
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^req_/);
    const lineOf = (output: string) => output.split("\n").find((candidate) => candidate.includes(`"requestId":"${requestId}"`));
    const line = lineOf(await eventually(async () => server.output(), (output) => lineOf(output) !== undefined, 5_000));
    expect(line, server.output().slice(-2_000)).toBeDefined();
    // Lines are written together, every LOG_FLUSH_MS at the latest (a second allows for a loaded machine).
    expect(Date.now() - answeredAt).toBeLessThan(LOG_FLUSH_MS + 1_000);
    const entry = JSON.parse(line ?? "{}") as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 30, requestId, route: "/v1/models", status: 200, code: null, keyId: key.keyId, msg: "api request" });
    expect(new Date(String(entry.time)).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
