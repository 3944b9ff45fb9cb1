// Against the production server: under concurrency the limits never overshoot, refusals are 429s (not 500s), and
// every request served leaves exactly one usage record; records still buffered are written when the server stops
// on SIGTERM or SIGINT, and a new process counts them.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey } from "@/tests/support/gateway-factories";
import { eventually, sdkClient, startProductionServer, type ProductionServer } from "@/tests/support/production-server";

const MODEL = "gatehouse-ngram";
let server: ProductionServer;
beforeAll(async () => {
  server = await startProductionServer();
}, 120_000);
afterAll(async () => {
  await server.stop();
});

const rowsOf = (keyId: string, count: number) =>
  eventually(
    () => db.usageRecord.findMany({ where: { apiKeyId: keyId } }),
    (rows) => rows.length >= count,
  );

describe("concurrency", () => {
  it("admits exactly the RPM limit out of 100 concurrent calls and records every one of them", async () => {
    const key = await createTestKey({ requestsPerMinute: 40, tokensPerMinute: 1_000_000 });
    const client = sdkClient(server, key.secret);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: `Question ${i} about the river.` }], max_tokens: 8, seed: i })),
    );
    const served = results.filter((result) => result.status === "fulfilled");
    expect(served).toHaveLength(40);
    const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
    expect(refused.every((reason) => reason instanceof OpenAI.RateLimitError && reason.code === "rate_limit_exceeded")).toBe(true);
    const rows = await rowsOf(key.keyId, 100);
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
    const rows = await rowsOf(key.keyId, 50);
    const used = rows.reduce((sum, row) => sum + row.totalTokens, 0);
    expect(used).toBeLessThanOrEqual(120);
    expect(results.filter((result) => result.status === "fulfilled").length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.errorCode === "insufficient_quota").length).toBeGreaterThan(0);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`writes buffered records when the server stops on ${signal}, and a new process initialises its limits from them`, async () => {
      const key = await createTestKey({ requestsPerMinute: 7 });
      const first = await startProductionServer();
      const client = sdkClient(first, key.secret);
      // Answered, then the server is stopped at once: inside the one-second flush interval.
      await Promise.all(Array.from({ length: 5 }, () => client.models.list()));
      expect(await first.stop(signal)).toBe(signal === "SIGTERM" ? 143 : 130);
      expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(5);

      const second = await startProductionServer();
      try {
        const { response } = await sdkClient(second, key.secret).models.list().withResponse();
        expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("1");
        await sdkClient(second, key.secret).models.list();
        await expect(sdkClient(second, key.secret).models.list()).rejects.toMatchObject({ status: 429, code: "rate_limit_exceeded" });
      } finally {
        await second.stop();
      }
    });
  }
});
