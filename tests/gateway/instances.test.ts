// Two production servers on one database and one Redis (TEST_REDIS_URL; CI sets it), as "Running several
// instances" in the README describes: limits are shared exactly, a revocation through one instance is refused by the
// other within a second, and every response leaves one usage record.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey } from "@/tests/support/gateway-factories";
import { eventually, startProductionServer, type ProductionServer } from "@/tests/support/production-server";

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) console.warn("[tests] TEST_REDIS_URL is not set: the multi-instance tests are skipped (CI sets it)");

const MODEL = "gatehouse-ngram";

describe.skipIf(!redisUrl)("two instances on one database and one Redis", () => {
  let a: ProductionServer;
  let b: ProductionServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([startProductionServer({ env: { REDIS_URL: redisUrl ?? "" } }), startProductionServer({ env: { REDIS_URL: redisUrl ?? "" } })]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  /** Sends `count` requests at once, alternating between the instances; returns each response's status and request id. */
  async function spread(count: number, secret: string, path: string, body?: unknown) {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const server = i % 2 === 0 ? a : b;
        const response = await fetch(`${server.url}/v1${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const payload = (await response.json()) as { error?: { code: string } };
        return { status: response.status, code: payload.error?.code ?? null, requestId: response.headers.get("x-request-id") };
      }),
    );
  }

  async function rowsFor(keyId: string, count: number) {
    return eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: keyId } }),
      (rows) => rows.length >= count,
    );
  }

  it("admits exactly 30 of 200 concurrent requests against a 30 requests/min limit, and records all 200", async () => {
    const key = await createTestKey({ requestsPerMinute: 30, tokensPerMinute: 1_000_000 });
    const results = await spread(200, key.secret, "/models");
    expect(results.filter((result) => result.status === 200)).toHaveLength(30);
    expect(results.filter((result) => result.status === 429 && result.code === "rate_limit_exceeded")).toHaveLength(170);
    const rows = await rowsFor(key.keyId, 200);
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((row) => row.requestId))).toEqual(new Set(results.map((result) => result.requestId)));
  });

  it("shares a tokens/min limit and a monthly quota exactly", async () => {
    // A moderation request reserves and uses exactly its input's tokens.
    const input = "The river runs past the old mill.";
    const probe = await createTestKey();
    const [measured] = await spread(1, probe.secret, "/moderations", { input });
    expect(measured?.status).toBe(200);
    const [row] = await rowsFor(probe.keyId, 1);
    const tokens = row?.totalTokens ?? 0;
    expect(tokens).toBeGreaterThan(0);

    const perMinute = await createTestKey({ requestsPerMinute: 10_000, tokensPerMinute: tokens * 12 });
    const byTokens = await spread(100, perMinute.secret, "/moderations", { input });
    expect(byTokens.filter((result) => result.status === 200)).toHaveLength(12);
    expect(byTokens.filter((result) => result.code === "rate_limit_exceeded")).toHaveLength(88);

    const monthly = await createTestKey({ requestsPerMinute: 10_000, tokensPerMinute: 1_000_000, monthlyTokenQuota: tokens * 7 });
    const byQuota = await spread(100, monthly.secret, "/moderations", { input });
    expect(byQuota.filter((result) => result.status === 200)).toHaveLength(7);
    expect(byQuota.filter((result) => result.code === "insufficient_quota")).toHaveLength(93);
    expect(await rowsFor(monthly.keyId, 100)).toHaveLength(100);
  });

  it("refuses a key revoked through one instance on the other within a second", async () => {
    const key = await createTestKey();
    // Both instances have the key cached.
    expect((await spread(4, key.secret, "/models")).every((result) => result.status === 200)).toBe(true);
    const revokedAt = Date.now();
    await db.apiKey.update({ where: { id: key.keyId }, data: { revokedAt: new Date(), revokedReason: "test" } });
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (Date.now() - revokedAt < 3_000) {
      const response = await fetch(`${b.url}/v1/models`, { headers: { authorization: `Bearer ${key.secret}` } });
      await response.body?.cancel();
      if (response.status === 401) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
    }
    expect(refusedAfter).toBeLessThan(1_000);
    const onA = await fetch(`${a.url}/v1/models`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(onA.status).toBe(401);
  });

  it("serves the same completion through either instance", async () => {
    const key = await createTestKey();
    const body = { model: MODEL, messages: [{ role: "user", content: "Tell me about the harbour." }], max_tokens: 12, seed: 3 };
    const [first, second] = await spread(2, key.secret, "/chat/completions", body);
    expect([first?.status, second?.status]).toEqual([200, 200]);
  });
});
