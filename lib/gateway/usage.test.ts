import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey } from "@/tests/support/gateway-factories";
import { FLUSH_BATCH_SIZE, loadStoredUsage, UsageRecorder, writeUsage, type UsageEntry } from "./usage";

function entry(key: { keyId: string; organizationId: string }, overrides: Partial<UsageEntry> = {}): UsageEntry {
  return { requestId: "req_x", apiKeyId: key.keyId, organizationId: key.organizationId, endUserId: null, endpoint: "chat.completions", model: "gatehouse-ngram", promptTokens: 3, completionTokens: 4, totalTokens: 7, latencyMs: 1, status: 200, errorCode: null, isFlagged: false, createdAt: new Date(), ...overrides };
}

describe("usage recorder", () => {
  it("writes a full batch at once and the rest on flush, losing none", async () => {
    const key = await createTestKey();
    const recorder = new UsageRecorder(writeUsage, 600_000);
    const count = FLUSH_BATCH_SIZE + 37;
    for (let i = 0; i < count; i++) recorder.record(entry(key, { requestId: `req_${i}` }));
    expect(recorder.pending).toBe(37);
    await recorder.flush();
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(count);
  });

  it("flushes on its interval", async () => {
    const key = await createTestKey();
    const recorder = new UsageRecorder(writeUsage, 20);
    recorder.record(entry(key));
    for (let i = 0; i < 200 && (await db.usageRecord.count({ where: { apiKeyId: key.keyId } })) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(1);
  });

  it("retries a failed write once", async () => {
    let calls = 0;
    const written: UsageEntry[][] = [];
    const recorder = new UsageRecorder(async (entries) => {
      calls++;
      if (calls === 1) throw new Error("database down");
      written.push(entries);
    }, 600_000);
    recorder.record(entry({ keyId: "k", organizationId: "o" }));
    const originalError = console.error;
    console.error = () => undefined;
    try {
      await recorder.flush();
    } finally {
      console.error = originalError;
    }
    expect(written).toHaveLength(1);
  });

  it("loads the limits' starting point from the records of the grant: counted requests and the month's tokens", async () => {
    const key = await createTestKey();
    const now = Date.now();
    await writeUsage([
      entry(key, { createdAt: new Date(now - 5_000), totalTokens: 10 }),
      entry(key, { createdAt: new Date(now - 5_000), status: 400, errorCode: "off_topic", promptTokens: 0, completionTokens: 0, totalTokens: 0, endUserId: "u" }),
      entry(key, { createdAt: new Date(now - 5_000), status: 429, errorCode: "rate_limit_exceeded", promptTokens: 0, completionTokens: 0, totalTokens: 0 }),
      entry(key, { createdAt: new Date(now - 120_000), totalTokens: 100 }),
    ]);
    const monthStart = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1));
    const stored = await loadStoredUsage(key.grantId, new Date(now - 60_000), monthStart);
    expect(stored.events.map((event) => [event.tokens, event.endUserId])).toEqual(expect.arrayContaining([[10, null], [0, "u"]]));
    expect(stored.events).toHaveLength(2);
    const expectedMonth = now - 120_000 >= monthStart.getTime() ? 110 : 10;
    expect(stored.monthTokens).toBe(expectedMonth);
  });
});
