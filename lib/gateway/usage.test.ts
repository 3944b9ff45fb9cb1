import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { createTestKey, type TestKey } from "@/tests/support/gateway-factories";
import { eventually } from "@/tests/support/production-server";
import { createRecorder, databaseWriter, FLUSH_BATCH_SIZE, loadStoredUsage, sanitizeRow, sanitizeText, type ModerationEntry, type RecordRow, type RecordWriter, type UsageEntry } from "./usage";

function usage(key: Pick<TestKey, "keyId" | "organizationId">, overrides: Partial<UsageEntry> = {}): RecordRow {
  return {
    kind: "usage",
    entry: { id: randomUUID(), requestId: `req_${randomUUID()}`, apiKeyId: key.keyId, organizationId: key.organizationId, endUserId: null, endpoint: "chat.completions", model: "gatehouse-ngram", promptTokens: 3, completionTokens: 4, totalTokens: 7, latencyMs: 1, status: 200, errorCode: null, isFlagged: false, createdAt: new Date(), ...overrides },
  };
}

function moderation(key: Pick<TestKey, "keyId" | "organizationId">, overrides: Partial<ModerationEntry> = {}): RecordRow {
  return {
    kind: "moderation",
    entry: { id: randomUUID(), requestId: `req_${randomUUID()}`, apiKeyId: key.keyId, organizationId: key.organizationId, direction: "INPUT", action: "BLOCKED", categories: ["violence"], scores: { violence: 0.9 }, excerpt: "I will hurt you", createdAt: new Date(), ...overrides },
  };
}

const idsOf = (rows: RecordRow[]) => rows.map((row) => row.entry.id).sort();
const storedUsageIds = async (keyId: string) => (await db.usageRecord.findMany({ where: { apiKeyId: keyId }, select: { id: true } })).map((row) => row.id).sort();

/** A writer in front of the real one whose database can be switched off: writes fail and it does not answer. */
function switchableWriter() {
  const state = { isDown: false, attempts: 0, attemptsWhileDown: 0 };
  const writer: RecordWriter = {
    async write(rows) {
      state.attempts++;
      if (state.isDown) {
        state.attemptsWhileDown++;
        throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      }
      await databaseWriter.write(rows);
    },
    isReachable: async () => !state.isDown && (await databaseWriter.isReachable()),
  };
  return { writer, state };
}

/** The recorder logs what it retries; the tests check what is stored instead. */
function quietLog() {
  return vi.spyOn(console, "error").mockImplementation(() => undefined);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("usage recorder", () => {
  it("writes a full batch without waiting for the interval, and the rows recorded meanwhile right after it", async () => {
    const key = await createTestKey();
    const recorder = createRecorder(databaseWriter, { intervalMs: 600_000 });
    const rows = Array.from({ length: FLUSH_BATCH_SIZE + 37 }, () => usage(key));
    for (const row of rows) recorder.record(row);
    expect(recorder.pending).toBe(rows.length);
    const ids = await eventually(
      () => storedUsageIds(key.keyId),
      (stored) => stored.length === rows.length,
    );
    expect(ids).toEqual(idsOf(rows));
    // The rows are visible to another connection once committed, a moment before the writer's promise resolves here.
    expect(await eventually(async () => recorder.pending, (pending) => pending === 0)).toBe(0);
    await recorder.flush();
  });

  it("writes on its interval without a flush", async () => {
    const key = await createTestKey();
    const recorder = createRecorder(databaseWriter, { intervalMs: 20 });
    const row = usage(key);
    recorder.record(row);
    expect(recorder.pending).toBe(1);
    expect(await eventually(() => storedUsageIds(key.keyId), (ids) => ids.length === 1)).toEqual([row.entry.id]);
  });

  it("stores both kinds of rows, with every field as recorded", async () => {
    const key = await createTestKey();
    const recorder = createRecorder(databaseWriter, { intervalMs: 600_000 });
    const served = usage(key, { endUserId: "user-7", status: 400, errorCode: "content_policy_violation", isFlagged: true, createdAt: new Date("2026-06-15T12:00:00Z") });
    const event = moderation(key, { requestId: served.entry.requestId, direction: "OUTPUT", action: "REDACTED", categories: ["violence", "harassment"], scores: { violence: 0.8, harassment: 0.6 } });
    recorder.record(served);
    recorder.record(event);
    await recorder.flush();
    expect(await db.usageRecord.findUniqueOrThrow({ where: { id: served.entry.id } })).toMatchObject({ ...served.entry, isSanitized: false });
    expect(await db.moderationEvent.findUniqueOrThrow({ where: { id: event.entry.id } })).toMatchObject({ ...event.entry, isSanitized: false });
  });

  it("stores a batch of usage rows alone (one statement) with every field as recorded, times to the millisecond", async () => {
    const key = await createTestKey();
    const rows = [
      usage(key, { createdAt: new Date("2026-06-15T23:59:59.999Z"), latencyMs: 12_345, promptTokens: 2_000_000 }),
      usage(key, { endUserId: "ünïcode 👩‍💻", errorCode: "rate_limit_exceeded", status: 429, createdAt: new Date("1999-12-31T00:00:00.001Z") }),
    ];
    await databaseWriter.write(rows);
    await databaseWriter.write(rows);
    const stored = await db.usageRecord.findMany({ where: { apiKeyId: key.keyId }, orderBy: { createdAt: "desc" } });
    expect(stored).toHaveLength(2);
    stored.forEach((row, index) => expect(row).toMatchObject({ ...rows[index]?.entry, isSanitized: false }));
  });

  it("stores a row the database refuses (NUL bytes) sanitised, and the good rows of its batch as they are", async () => {
    const key = await createTestKey();
    const errors = quietLog();
    const recorder = createRecorder(databaseWriter, { intervalMs: 600_000 });
    const before = Array.from({ length: 5 }, (_, i) => usage(key, { endUserId: `user-${i}`, model: "gatehouse-ngram" }));
    const bad = usage(key, { endUserId: "evil\u0000user", model: "gpt\u0000-4o\uD800", errorCode: "model_not_found", status: 404 });
    const badEvent = moderation(key, { excerpt: "kill\u0000 them", categories: ["violence\u0000"], scores: { "viol\u0000ence": 0.9 } });
    const after = Array.from({ length: 5 }, (_, i) => usage(key, { endUserId: `later-${i}` }));
    for (const row of [...before, bad, badEvent, ...after]) recorder.record(row);
    await recorder.flush();

    const stored = await db.usageRecord.findMany({ where: { apiKeyId: key.keyId } });
    expect(stored).toHaveLength(11);
    for (const row of [...before, ...after]) {
      expect(stored.find((record) => record.id === row.entry.id)).toMatchObject({ ...row.entry, isSanitized: false });
    }
    expect(stored.find((record) => record.id === bad.entry.id)).toMatchObject({ requestId: bad.entry.requestId, endUserId: "evil\uFFFDuser", model: "gpt\uFFFD-4o\uFFFD", status: 404, errorCode: "model_not_found", isSanitized: true });
    expect(await db.moderationEvent.findUniqueOrThrow({ where: { id: badEvent.entry.id } })).toMatchObject({ excerpt: "kill\uFFFD them", categories: ["violence\uFFFD"], scores: { "viol\uFFFDence": 0.9 }, isSanitized: true });
    // The real failure path was taken: the whole batch failed first, then the row on its own.
    expect(errors.mock.calls.some(([message]) => String(message).includes("failed; storing them one by one"))).toBe(true);
    expect(errors.mock.calls.some(([message]) => String(message).includes(`stored request ${bad.entry.requestId}'s usage record sanitised`))).toBe(true);
  });

  it("drops a usage row whose key was deleted meanwhile (its records went with it), and stores the rest of its batch", async () => {
    const key = await createTestKey();
    const gone = await createTestKey();
    const errors = quietLog();
    const recorder = createRecorder(databaseWriter, { intervalMs: 600_000 });
    const [first, last] = [usage(key), usage(key)];
    const orphan = usage(gone);
    const orphanEvent = moderation(gone);
    await db.apiKey.delete({ where: { id: gone.keyId } });
    for (const row of [first, orphan, orphanEvent, last]) recorder.record(row);
    await recorder.flush();
    expect(await storedUsageIds(key.keyId)).toEqual(idsOf([first, last]));
    expect(await db.usageRecord.count({ where: { id: orphan.entry.id } })).toBe(0);
    // A moderation event names its key without a reference: it is kept for the admins.
    expect(await db.moderationEvent.count({ where: { id: orphanEvent.entry.id } })).toBe(1);
    expect(errors.mock.calls.some(([message]) => String(message).includes(`dropped request ${orphan.entry.requestId}'s usage record`))).toBe(true);
    expect(errors.mock.calls.some(([message]) => String(message).includes("keeping it on disk"))).toBe(false);
  });

  it("retries a failed batch row by row: only the row that fails on its own is changed", async () => {
    const written: RecordRow[][] = [];
    quietLog();
    const writer: RecordWriter = {
      async write(rows) {
        if (rows.some((row) => row.kind === "usage" && row.entry.model.includes("\u0000"))) throw new Error("invalid byte sequence for encoding UTF8: 0x00");
        written.push(rows);
      },
      isReachable: async () => true,
    };
    const recorder = createRecorder(writer, { intervalMs: 600_000 });
    const key = { keyId: "k", organizationId: "o" };
    const rows = [usage(key), usage(key, { model: "m\u0000" }), usage(key)];
    for (const row of rows) recorder.record(row);
    await recorder.flush();
    expect(written).toEqual([[rows[0]], [sanitizeRow(rows[1] as RecordRow)], [rows[2]]]);
  });

  it("keeps every row while the database is unreachable, retrying with backoff until it is back: 0 rows lost", async () => {
    const key = await createTestKey();
    quietLog();
    const { writer, state } = switchableWriter();
    const recorder = createRecorder(writer, { intervalMs: 10 });
    state.isDown = true;
    const early = Array.from({ length: 30 }, () => usage(key));
    for (const row of early) recorder.record(row);
    const flushed = recorder.flush();
    let isFlushed = false;
    void flushed.then(() => (isFlushed = true));
    await eventually(
      async () => state.attemptsWhileDown,
      (attempts) => attempts >= 3,
    );
    // More requests are served while it is away; their rows wait too.
    const late = [usage(key), moderation(key)];
    for (const row of late) recorder.record(row);
    expect(isFlushed).toBe(false);
    expect(recorder.pending).toBe(32);
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(0);

    state.isDown = false;
    await flushed;
    await recorder.flush();
    expect(await storedUsageIds(key.keyId)).toEqual(idsOf([...early, late[0] as RecordRow]));
    expect(await db.moderationEvent.count({ where: { id: late[1]?.entry.id } })).toBe(1);
    expect(recorder.pending).toBe(0);
    expect(state.attemptsWhileDown).toBeGreaterThanOrEqual(3);
  });

  it("stores nothing twice when a batch that was in fact written is retried", async () => {
    const key = await createTestKey();
    quietLog();
    let writes = 0;
    let checks = 0;
    const writer: RecordWriter = {
      // The first write commits, but the connection drops before the answer arrives and the check fails too.
      async write(rows) {
        await databaseWriter.write(rows);
        if (++writes === 1) throw new Error("Connection terminated unexpectedly");
      },
      isReachable: async () => ++checks > 1,
    };
    const recorder = createRecorder(writer, { intervalMs: 600_000 });
    const rows = [...Array.from({ length: 10 }, () => usage(key)), moderation(key)];
    for (const row of rows) recorder.record(row);
    await recorder.flush();
    expect(await storedUsageIds(key.keyId)).toEqual(idsOf(rows.filter((row) => row.kind === "usage")));
    expect(await db.moderationEvent.count({ where: { apiKeyId: key.keyId } })).toBe(1);
    // The whole batch was written again after the backoff, not row by row.
    expect(writes).toBe(2);
    // The writer itself skips ids already stored: the same rows again change nothing.
    await databaseWriter.write(rows);
    await databaseWriter.write([rows[0] as RecordRow, rows[0] as RecordRow]);
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(10);
    expect(await db.moderationEvent.count({ where: { apiKeyId: key.keyId } })).toBe(1);
  });

  it("is full when the buffer reaches its capacity, and no longer once the database takes the rows", async () => {
    const key = await createTestKey();
    quietLog();
    const { writer, state } = switchableWriter();
    state.isDown = true;
    const recorder = createRecorder(writer, { intervalMs: 10, capacity: 5 });
    for (let i = 0; i < 4; i++) recorder.record(usage(key));
    expect(recorder.isFull()).toBe(false);
    recorder.record(usage(key));
    expect(recorder.isFull()).toBe(true);
    expect(recorder.pending).toBe(5);
    state.isDown = false;
    await recorder.flush();
    expect(recorder.isFull()).toBe(false);
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(5);
  });

  it("resolves a flush once the rows recorded before it are stored, not waiting for rows recorded later", async () => {
    const releases: (() => void)[] = [];
    const written: string[][] = [];
    const writer: RecordWriter = {
      async write(rows) {
        await new Promise<void>((resolve) => releases.push(resolve));
        written.push(rows.map((row) => row.entry.requestId));
      },
      isReachable: async () => true,
    };
    const recorder = createRecorder(writer, { intervalMs: 600_000 });
    const key = { keyId: "k", organizationId: "o" };
    await recorder.flush();
    recorder.record(usage(key, { requestId: "req_a" }));
    let isFirstDone = false;
    const first = recorder.flush().then(() => (isFirstDone = true));
    await eventually(async () => releases.length, (count) => count === 1);
    recorder.record(usage(key, { requestId: "req_b" }));
    let isSecondDone = false;
    const second = recorder.flush().then(() => (isSecondDone = true));
    expect(isFirstDone).toBe(false);
    releases[0]?.();
    await first;
    expect(written).toEqual([["req_a"]]);
    expect(isSecondDone).toBe(false);
    await eventually(async () => releases.length, (count) => count === 2);
    releases[1]?.();
    await second;
    expect(written).toEqual([["req_a"], ["req_b"]]);
    expect(recorder.pending).toBe(0);
  });

  it("gives back within the time allowed the rows it could not store", async () => {
    const key = await createTestKey();
    quietLog();
    const { writer, state } = switchableWriter();
    state.isDown = true;
    const recorder = createRecorder(writer, { intervalMs: 600_000 });
    const rows = [usage(key), moderation(key), usage(key)];
    for (const row of rows) recorder.record(row);
    const started = Date.now();
    expect(await recorder.flushWithin(300)).toEqual(rows);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Still retrying in the background: once the database is back they are stored as well.
    state.isDown = false;
    await recorder.flush();
    expect(await recorder.flushWithin(300)).toEqual([]);
    expect(await db.usageRecord.count({ where: { apiKeyId: key.keyId } })).toBe(2);
  });

  it("loads the limits' starting point from the records of the grant: counted requests and the month's tokens", async () => {
    const key = await createTestKey();
    const now = Date.now();
    await databaseWriter.write([
      usage(key, { createdAt: new Date(now - 5_000), totalTokens: 10 }),
      usage(key, { createdAt: new Date(now - 5_000), status: 400, errorCode: "off_topic", promptTokens: 0, completionTokens: 0, totalTokens: 0, endUserId: "u" }),
      usage(key, { createdAt: new Date(now - 5_000), status: 429, errorCode: "rate_limit_exceeded", promptTokens: 0, completionTokens: 0, totalTokens: 0 }),
      usage(key, { createdAt: new Date(now - 120_000), totalTokens: 100 }),
    ]);
    const monthStart = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1));
    const stored = await loadStoredUsage(key.grantId, new Date(now - 60_000), monthStart);
    expect(stored.events.map((event) => [event.tokens, event.endUserId])).toEqual(expect.arrayContaining([[10, null], [0, "u"]]));
    expect(stored.events).toHaveLength(2);
    const expectedMonth = now - 120_000 >= monthStart.getTime() ? 110 : 10;
    expect(stored.monthTokens).toBe(expectedMonth);
  });
});

describe("sanitising", () => {
  it("replaces NUL and unpaired surrogates, keeps pairs, and caps the length without splitting a pair", () => {
    expect(sanitizeText("a\u0000b\uD800c\uDC00", 100)).toBe("a\uFFFDb\uFFFDc\uFFFD");
    expect(sanitizeText("ok 😀", 100)).toBe("ok 😀");
    expect(sanitizeText("ab😀", 3)).toBe("ab\uFFFD");
    expect(sanitizeText("x".repeat(1_000), 256)).toHaveLength(256);
  });

  it("marks the row and bounds every client-influenced string", () => {
    const key = { keyId: "k", organizationId: "o" };
    const row = usage(key, { model: "m".repeat(700_000), endUserId: "u\u0000" });
    const clean = sanitizeRow(row);
    expect(clean.kind === "usage" && clean.entry).toMatchObject({ id: row.entry.id, requestId: row.entry.requestId, endUserId: "u\uFFFD", isSanitized: true });
    expect(clean.kind === "usage" && clean.entry.model.length).toBe(256);
    const event = sanitizeRow(moderation(key, { excerpt: "e".repeat(10_000), scores: { ok: 0.5, bad: Number.NaN } }));
    expect(event.kind === "moderation" && event.entry).toMatchObject({ scores: { ok: 0.5 }, isSanitized: true });
    expect(event.kind === "moderation" && event.entry.excerpt.length).toBe(500);
  });
});
