import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { createRuntime } from "./runtime";
import { installShutdownFlush } from "./shutdown";
import { createTestKey, testGatewayConfig } from "@/tests/support/gateway-factories";

afterEach(() => vi.restoreAllMocks());

describe("shutdown flush", () => {
  it("writes every buffered usage record on SIGTERM before exiting with 143", async () => {
    const key = await createTestKey();
    const runtime = createRuntime(testGatewayConfig(), { flushIntervalMs: 600_000 });
    (globalThis as unknown as { gatehouseGateway?: unknown }).gatehouseGateway = runtime;
    const exited = new Promise<number | undefined>((resolve) => {
      vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
        resolve(code);
        return undefined as never;
      }) as typeof process.exit);
    });
    const N = 25;
    for (let i = 0; i < N; i++) {
      runtime.usage.record({ requestId: `req_${i}`, apiKeyId: key.keyId, organizationId: key.organizationId, endUserId: null, endpoint: "models", model: "", promptTokens: 0, completionTokens: 0, totalTokens: 0, latencyMs: 1, status: 200, errorCode: null, isFlagged: false, createdAt: new Date() });
    }
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(0);
    installShutdownFlush();
    process.emit("SIGTERM", "SIGTERM");
    expect(await exited).toBe(143);
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(N);
  });
});
