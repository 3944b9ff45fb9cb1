import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createRuntime } from "./runtime";
import { stopGateway } from "./shutdown";
import { createTestKey, testGatewayConfig } from "@/tests/support/gateway-factories";

// The SIGINT/SIGTERM handlers call stopGateway() and then exit; emitting a real signal here would also reach the
// test runner's own handlers, so the test drives the same function the handlers run.
describe("shutdown flush", () => {
  it("writes every buffered usage record when the server stops", async () => {
    const key = await createTestKey();
    const runtime = createRuntime(testGatewayConfig(), { flushIntervalMs: 600_000 });
    (globalThis as unknown as { gatehouseGateway?: unknown }).gatehouseGateway = runtime;
    const N = 25;
    for (let i = 0; i < N; i++) {
      runtime.usage.record({ requestId: `req_${i}`, apiKeyId: key.keyId, organizationId: key.organizationId, endUserId: null, endpoint: "models", model: "", promptTokens: 0, completionTokens: 0, totalTokens: 0, latencyMs: 1, status: 200, errorCode: null, isFlagged: false, createdAt: new Date() });
    }
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(0);
    await stopGateway();
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(N);
    expect(runtime.usage.pending).toBe(0);
  });
});
