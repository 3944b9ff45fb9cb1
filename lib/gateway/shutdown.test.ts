import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { createTestKey, testGatewayConfig, type TestKey } from "@/tests/support/gateway-factories";
import { createRuntime } from "./runtime";
import { replaySpilledRecords, SHUTDOWN_FLUSH_MS, stopGateway } from "./shutdown";
import { spillRecords } from "./spill";
import { databaseWriter, type RecordRow, type RecordWriter } from "./usage";

// The runtimes here run no oversight checks after storing: those query the database in the background, and a query
// still running when the spill test fakes setTimeout gets its client-side timers faked (and fired early by the
// test's clock), which can leave a pool client never released: the file's final disconnect then hung (seen once).
const noChecks = async () => undefined;

const dataDirs: string[] = [];
async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-spill-"));
  dataDirs.push(dir);
  return dir;
}

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await Promise.all(dataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function usageRow(key: TestKey, index: number): RecordRow {
  return {
    kind: "usage",
    entry: { id: randomUUID(), requestId: `req_${index}`, apiKeyId: key.keyId, organizationId: key.organizationId, endUserId: `user-${index}`, endpoint: "models", model: "", promptTokens: 0, completionTokens: 0, totalTokens: 0, latencyMs: 1, status: 200, errorCode: null, isFlagged: false, createdAt: new Date(Date.UTC(2026, 5, 15, 12, 0, index)) },
  };
}

function moderationRow(key: TestKey): RecordRow {
  return {
    kind: "moderation",
    entry: { id: randomUUID(), requestId: "req_flagged", apiKeyId: key.keyId, organizationId: key.organizationId, direction: "INPUT", action: "BLOCKED", categories: ["violence"], scores: { violence: 0.9 }, excerpt: "I will kill you", createdAt: new Date() },
  };
}

const spilledFiles = async (dataDir: string) => (await readdir(path.join(dataDir, "usage-spill")).catch(() => [] as string[])).filter((name) => name.endsWith(".jsonl"));
const storedIds = async (keyId: string) => (await db.usageRecord.findMany({ where: { apiKeyId: keyId }, select: { id: true } })).map((row) => row.id).sort();
const idsOf = (rows: RecordRow[]) => rows.filter((row) => row.kind === "usage").map((row) => row.entry.id).sort();

// The SIGINT/SIGTERM handlers call stopGateway() and then exit; emitting a real signal here would also reach the
// test runner's own handlers, so the tests drive the same function the handlers run.
describe("stopping the gateway", () => {
  it("refuses new requests, lets the ones in flight finish and stores every record, theirs included", async () => {
    const key = await createTestKey();
    const dataDir = await tempDataDir();
    const runtime = createRuntime({ ...testGatewayConfig(), dataDir }, { flushIntervalMs: 600_000, afterStored: noChecks });
    const rows = Array.from({ length: 25 }, (_, i) => usageRow(key, i));
    for (const row of rows) runtime.recorder.record(row);
    let finish: () => void = () => undefined;
    const lastRow = usageRow(key, 99);
    const inFlight = new Promise<void>((resolve) => (finish = resolve)).then(() => runtime.recorder.record(lastRow));
    runtime.inFlight.add(inFlight);

    const stopped = stopGateway(runtime);
    expect(runtime.isStopping).toBe(true);
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(0);
    finish();
    await stopped;
    expect(await storedIds(key.keyId)).toEqual(idsOf([...rows, lastRow]));
    expect(runtime.recorder.pending).toBe(0);
    expect(await spilledFiles(dataDir)).toEqual([]);
  });

  it("spills what the database does not take within the shutdown allowance to DATA_DIR, and the next start stores it once", async () => {
    const key = await createTestKey();
    const dataDir = await tempDataDir();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const unreachable: RecordWriter = {
      write: async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      },
      isReachable: async () => false,
    };
    // Shutdown waits SHUTDOWN_FLUSH_MS for the database: the clock is advanced instead of waited for.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const stopping = createRuntime({ ...testGatewayConfig(), dataDir }, { flushIntervalMs: 600_000, writer: unreachable, afterStored: noChecks });
    const rows = [...Array.from({ length: 40 }, (_, i) => usageRow(key, i)), moderationRow(key)];
    for (const row of rows) stopping.recorder.record(row);
    const stopped = stopGateway(stopping);
    await vi.advanceTimersByTimeAsync(SHUTDOWN_FLUSH_MS - 1_000);
    expect(await spilledFiles(dataDir)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    await stopped;
    vi.useRealTimers();

    const files = await spilledFiles(dataDir);
    expect(files).toHaveLength(1);
    const file = path.join(dataDir, "usage-spill", files[0] ?? "");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const spilled = (await readFile(file, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as RecordRow);
    expect(spilled.map((row) => row.entry.id)).toEqual(rows.map((row) => row.entry.id));
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(0);

    // The next start, with the database back.
    const next = createRuntime({ ...testGatewayConfig(), dataDir }, { flushIntervalMs: 600_000, writer: databaseWriter, afterStored: noChecks });
    expect(await replaySpilledRecords(next)).toBe(rows.length);
    expect(await storedIds(key.keyId)).toEqual(idsOf(rows));
    expect(await db.moderationEvent.count({ where: { apiKeyId: key.keyId } })).toBe(1);
    // Stored with their own times, not the time of the replay.
    expect((await db.usageRecord.findFirstOrThrow({ where: { apiKeyId: key.keyId, requestId: "req_7" } })).createdAt).toEqual(new Date(Date.UTC(2026, 5, 15, 12, 0, 7)));
    expect(await spilledFiles(dataDir)).toEqual([]);
    expect(await replaySpilledRecords(next)).toBe(0);
  });

  it("replays a spill whose rows were partly stored already without storing any twice", async () => {
    const key = await createTestKey();
    const dataDir = await tempDataDir();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const rows = Array.from({ length: 10 }, (_, i) => usageRow(key, i));
    // The writer stored the first half in the background after the shutdown had given up on it.
    await databaseWriter.write(rows.slice(0, 5));
    await spillRecords(dataDir, rows);
    // A stop before that one spilled two of the same rows (file names are per time and process: set this one apart).
    const [first] = await spilledFiles(dataDir);
    await rename(path.join(dataDir, "usage-spill", first ?? ""), path.join(dataDir, "usage-spill", "1-earlier.jsonl"));
    await spillRecords(dataDir, rows.slice(8));
    expect(await spilledFiles(dataDir)).toHaveLength(2);
    const runtime = createRuntime({ ...testGatewayConfig(), dataDir }, { flushIntervalMs: 600_000, afterStored: noChecks });
    expect(await replaySpilledRecords(runtime)).toBe(12);
    expect(await storedIds(key.keyId)).toEqual(idsOf(rows));
    expect(await spilledFiles(dataDir)).toEqual([]);
  });

  it("finds nothing to replay in a data directory that never spilled", async () => {
    const runtime = createRuntime({ ...testGatewayConfig(), dataDir: await tempDataDir() });
    expect(await replaySpilledRecords(runtime)).toBe(0);
  });
});
