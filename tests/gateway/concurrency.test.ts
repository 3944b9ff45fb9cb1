// Under concurrency the limits never overshoot and every request served leaves exactly one usage record;
// records still buffered are written by the shutdown flush, and a new process counts them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { drainRuntime } from "@/lib/gateway/runtime";
import { createTestKey, sdkClient, startGatewayServer, type TestServer } from "@/tests/support/gateway-factories";

const MODEL = "gatehouse-ngram";
let server: TestServer;
beforeAll(async () => {
  server = await startGatewayServer();
}, 120_000);
afterAll(async () => server.close());

describe("concurrency", () => {
  it("admits exactly the RPM limit out of 100 concurrent calls and records every one of them", async () => {
    const key = await createTestKey({ requestsPerMinute: 40, tokensPerMinute: 1_000_000 });
    const client = sdkClient(server, key.secret);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `Question ${i} about the river.` }], max_tokens: 8, seed: i })),
    );
    const served = results.filter((result) => result.status === "fulfilled");
    expect(served).toHaveLength(40);
    await drainRuntime(server.runtime);
    const rows = await db.usageRecord.findMany({ where: { apiKeyId: key.keyId } });
    expect(rows).toHaveLength(100);
    expect(rows.filter((row) => row.status === 200)).toHaveLength(40);
    expect(rows.filter((row) => row.status === 429 && row.errorCode === "rate_limit_exceeded")).toHaveLength(60);
    expect(new Set(rows.map((row) => row.requestId)).size).toBe(100);
    const servedTokens = served.reduce((sum, result) => sum + (result.value.usage?.total_tokens ?? 0), 0);
    expect(rows.reduce((sum, row) => sum + row.totalTokens, 0)).toBe(servedTokens);
  });

  it("never lets concurrent calls overshoot the token quota", async () => {
    // Each call reserves prompt + 10 tokens; the quota fits only a few of them.
    const key = await createTestKey({ monthlyTokenQuota: 120, tokensPerMinute: 1_000_000, requestsPerMinute: 1000 });
    const client = sdkClient(server, key.secret);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "The river." }], max_tokens: 10, seed: 1 })));
    await drainRuntime(server.runtime);
    const rows = await db.usageRecord.findMany({ where: { apiKeyId: key.keyId } });
    const used = rows.reduce((sum, row) => sum + row.totalTokens, 0);
    expect(used).toBeLessThanOrEqual(120);
    expect(results.filter((result) => result.status === "fulfilled").length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.errorCode === "insufficient_quota").length).toBeGreaterThan(0);
  });

  it("writes buffered records at shutdown, and a new process initialises its limits from them", async () => {
    const key = await createTestKey({ requestsPerMinute: 7 });
    // A flush interval longer than the test, so the records are still buffered when the server stops.
    const first = await startGatewayServer(undefined, { flushIntervalMs: 600_000 });
    const client = sdkClient(first, key.secret);
    for (let i = 0; i < 5; i++) await client.models.list();
    expect(first.runtime.usage.pending).toBe(5);
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(0);
    await first.close(); // the same drain the SIGTERM/SIGINT handler runs
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(5);

    const second = await startGatewayServer();
    try {
      const { response } = await sdkClient(second, key.secret).models.list().withResponse();
      expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("1");
      await sdkClient(second, key.secret).models.list();
      await expect(sdkClient(second, key.secret).models.list()).rejects.toMatchObject({ status: 429 });
    } finally {
      await second.close();
    }
  });
});
