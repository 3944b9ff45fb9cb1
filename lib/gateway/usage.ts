// Step last: one UsageRecord per request after authentication, and one ModerationEvent per flagged input or output,
// buffered and written in batches (every second, every 200 rows, and at shutdown). Nothing acknowledged is lost:
// - every row carries its own id, and writes skip ids already stored, so a retried batch never duplicates;
// - a batch that fails while the database answers is retried row by row, and a row that still fails is stored
//   with its strings sanitised and `isSanitized` set;
// - while the database is away, writes are retried with backoff for as long as it takes;
// - the buffer is bounded: when it is full the gateway refuses new work (503) rather than serve unrecorded calls;
// - a usage row whose key or organisation was deleted meanwhile is dropped, as the deletion dropped their others.
import "server-only";
import { db, recordPool } from "@/lib/db";
import { countsTowardLimits, type StoredUsage, type WindowEvent } from "./limits";
import { messageOf } from "@/lib/errors";
import { logSparingly } from "@/lib/log/sparing";
import { settlesWithin } from "@/lib/timing";

/** PostgreSQL's foreign_key_violation: the row names a key or organisation that no longer exists. */
function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23503";
}

export interface UsageEntry {
  id: string;
  requestId: string;
  apiKeyId: string;
  organizationId: string;
  endUserId: string | null;
  endpoint: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  latencyMs: number;
  status: number;
  errorCode: string | null;
  isFlagged: boolean;
  isSanitized?: boolean;
  createdAt: Date;
}

export interface ModerationEntry {
  id: string;
  requestId: string;
  apiKeyId: string;
  organizationId: string;
  direction: "INPUT" | "OUTPUT";
  action: "BLOCKED" | "REDACTED";
  categories: string[];
  scores: Record<string, number>;
  excerpt: string;
  isSanitized?: boolean;
  createdAt: Date;
}

export type RecordRow = { kind: "usage"; entry: UsageEntry } | { kind: "moderation"; entry: ModerationEntry };

export interface RecordWriter {
  /** Stores rows, skipping ids already stored. */
  write(rows: RecordRow[]): Promise<void>;
  /** True when the database answers (distinguishes a bad row from an unreachable database). */
  isReachable(): Promise<boolean>;
}

export const FLUSH_INTERVAL_MS = 1_000;
export const FLUSH_BATCH_SIZE = 200;
/** Rows held at most while the database is away (about 500 bytes each); then new work is refused with 503. */
export const BUFFER_CAPACITY = 50_000;
const MAX_BACKOFF_MS = 5_000;

export interface Recorder {
  record(row: RecordRow): void;
  /** Rows not yet stored. */
  readonly pending: number;
  /** True when the buffer is full: the gateway refuses new work until it drains. */
  isFull(): boolean;
  /** Resolves once every row recorded before the call is stored (however long the database is away). */
  flush(): Promise<void>;
  /** Rows still unstored after `timeoutMs` of flushing (for the shutdown spill). */
  flushWithin(timeoutMs: number): Promise<RecordRow[]>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Makes any string storable: NUL becomes U+FFFD, unpaired surrogates too, and the length is capped. */
export function sanitizeText(value: string, maxChars: number): string {
  return value.replaceAll("\u0000", "\uFFFD").toWellFormed().slice(0, maxChars).toWellFormed();
}

export function sanitizeRow(row: RecordRow): RecordRow {
  if (row.kind === "usage") {
    const { entry } = row;
    return {
      kind: "usage",
      entry: {
        ...entry,
        endUserId: entry.endUserId === null ? null : sanitizeText(entry.endUserId, 256),
        model: sanitizeText(entry.model, 256),
        endpoint: sanitizeText(entry.endpoint, 64),
        errorCode: entry.errorCode === null ? null : sanitizeText(entry.errorCode, 64),
        isSanitized: true,
      },
    };
  }
  const { entry } = row;
  const scores: Record<string, number> = {};
  for (const [name, score] of Object.entries(entry.scores)) if (Number.isFinite(score)) scores[sanitizeText(name, 64)] = score;
  return {
    kind: "moderation",
    entry: { ...entry, categories: entry.categories.map((category) => sanitizeText(category, 64)), scores, excerpt: sanitizeText(entry.excerpt, 500), isSanitized: true },
  };
}

export function createRecorder(
  writer: RecordWriter,
  {
    intervalMs = FLUSH_INTERVAL_MS,
    capacity = BUFFER_CAPACITY,
    keepUnstorable = async (rows: RecordRow[]) => console.error("[gateway] unstorable records", JSON.stringify(rows)),
    onStored,
  }: { intervalMs?: number; capacity?: number; keepUnstorable?: (rows: RecordRow[]) => Promise<void>; onStored?: (rows: RecordRow[]) => void } = {},
): Recorder {
  let buffer: RecordRow[] = [];
  let recorded = 0;
  let settled = 0;
  let timer: NodeJS.Timeout | undefined;
  let pumping: Promise<void> | null = null;
  const waiters: { target: number; resolve: () => void }[] = [];

  function settle(count: number): void {
    settled += count;
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i];
      if (waiter && waiter.target <= settled) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Stores one batch; rows that cannot be stored as they are get stored sanitised. Throws when the database is away. */
  async function store(batch: RecordRow[]): Promise<void> {
    try {
      await writer.write(batch);
      return;
    } catch (error) {
      if (!(await writer.isReachable())) throw error;
      console.error(`[gateway] a batch of ${batch.length} records failed; storing them one by one`, messageOf(error));
    }
    for (const row of batch) {
      try {
        await writer.write([row]);
      } catch (error) {
        if (!(await writer.isReachable())) throw error;
        if (isForeignKeyViolation(error)) {
          // Its key or organisation was deleted since the request, and their usage records with them (cascade): this
          // one follows them. Kept, it would fail at every start.
          logSparingly("orphan-usage", `[gateway] dropped request ${row.entry.requestId}'s usage record: its key or organisation has been deleted, with their usage records`);
          continue;
        }
        try {
          await writer.write([sanitizeRow(row)]);
          console.error(`[gateway] stored request ${row.entry.requestId}'s ${row.kind} record sanitised`, messageOf(error));
        } catch (sanitisedError) {
          if (!(await writer.isReachable())) throw sanitisedError;
          // Refused twice while the database answers (a lock held past the timeout): kept on disk and tried again at
          // the next start, never dropped.
          console.error(`[gateway] ${row.kind} record of request ${row.entry.requestId} cannot be stored now; keeping it on disk`, sanitisedError);
          await keepUnstorable([row]);
        }
      }
    }
  }

  async function pump(): Promise<void> {
    let backoff = 100;
    while (buffer.length > 0) {
      const batch = buffer.slice(0, FLUSH_BATCH_SIZE);
      try {
        await store(batch);
        buffer = buffer.slice(batch.length);
        settle(batch.length);
        onStored?.(batch);
        backoff = 100;
      } catch (error) {
        console.error(`[gateway] database unreachable; ${buffer.length} records kept, retrying in ${backoff} ms`, messageOf(error));
        await sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }

  function startPump(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    pumping ??= pump().finally(() => {
      pumping = null;
      // Rows recorded while the last batch was being written.
      if (buffer.length > 0) void startPump();
    });
    return pumping;
  }

  function flush(): Promise<void> {
    const target = recorded;
    if (settled >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => waiters.push({ target, resolve }));
    void startPump();
    return done;
  }

  return {
    record(row) {
      buffer.push(row);
      recorded += 1;
      if (buffer.length >= FLUSH_BATCH_SIZE) void startPump();
      else if (!timer && !pumping) {
        timer = setTimeout(() => void startPump(), intervalMs);
        // The timer must not keep a finished process alive; shutdown flushes what is left.
        timer.unref();
      }
    },
    get pending() {
      return buffer.length;
    },
    isFull: () => buffer.length >= capacity,
    flush,
    async flushWithin(timeoutMs) {
      await settlesWithin(flush(), timeoutMs);
      return buffer.slice();
    },
  };
}

/**
 * Usage rows in one statement whatever their number: one array per column, unnested, ids already stored skipped.
 * (Prisma's createMany spent about 265 µs of CPU per row building its query; this is a handful of arrays.)
 * Times travel as epoch milliseconds and are added to the epoch exactly, as Prisma stores them: UTC, no zone.
 */
const INSERT_USAGE = `
  INSERT INTO "UsageRecord" ("id", "requestId", "apiKeyId", "organizationId", "endUserId", "endpoint", "model",
    "promptTokens", "completionTokens", "totalTokens", "latencyMs", "status", "errorCode", "isFlagged", "isSanitized", "createdAt")
  SELECT r.id, r.request_id, r.api_key_id, r.organization_id, r.end_user_id, r.endpoint, r.model,
    r.prompt_tokens, r.completion_tokens, r.total_tokens, r.latency_ms, r.status, r.error_code, r.is_flagged, r.is_sanitized,
    TIMESTAMP '1970-01-01' + r.created_ms * INTERVAL '1 millisecond'
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[],
    $10::int[], $11::int[], $12::int[], $13::text[], $14::boolean[], $15::boolean[], $16::bigint[])
    AS r(id, request_id, api_key_id, organization_id, end_user_id, endpoint, model, prompt_tokens, completion_tokens,
    total_tokens, latency_ms, status, error_code, is_flagged, is_sanitized, created_ms)
  ON CONFLICT ("id") DO NOTHING`;

function usageColumns(usage: UsageEntry[]): unknown[] {
  const column = <T>(pick: (entry: UsageEntry) => T): T[] => usage.map(pick);
  return [
    column((e) => e.id),
    column((e) => e.requestId),
    column((e) => e.apiKeyId),
    column((e) => e.organizationId),
    column((e) => e.endUserId),
    column((e) => e.endpoint),
    column((e) => e.model),
    column((e) => e.promptTokens),
    column((e) => e.completionTokens),
    column((e) => e.totalTokens),
    column((e) => e.latencyMs),
    column((e) => e.status),
    column((e) => e.errorCode),
    column((e) => e.isFlagged),
    column((e) => e.isSanitized ?? false),
    column((e) => e.createdAt.getTime()),
  ];
}

/**
 * The database writer. Usage rows alone (nearly every batch) go through the record pool's prepared statement; a batch
 * with moderation events stores both tables in one Prisma transaction. Ids already stored are skipped either way.
 */
export const databaseWriter: RecordWriter = {
  async write(rows) {
    const usage = rows.flatMap((row) => (row.kind === "usage" ? [row.entry] : []));
    const moderation = rows.flatMap((row) => (row.kind === "moderation" ? [row.entry] : []));
    if (moderation.length === 0) {
      if (usage.length > 0) await recordPool().query({ name: "gatehouse_insert_usage", text: INSERT_USAGE, values: usageColumns(usage) });
      return;
    }
    await db.$transaction(async (tx) => {
      if (usage.length > 0) await tx.$executeRawUnsafe(INSERT_USAGE, ...usageColumns(usage));
      await tx.moderationEvent.createMany({ data: moderation, skipDuplicates: true });
    });
  },
  async isReachable() {
    try {
      // Both paths of `write`.
      await Promise.all([recordPool().query("SELECT 1"), db.$queryRaw`SELECT 1`]);
      return true;
    } catch {
      return false;
    }
  },
};

/** Loads what the limits count from the records: counted requests of the window and the month's tokens. */
export async function loadStoredUsage(grantId: string, since: Date, monthStart: Date): Promise<StoredUsage> {
  const [recent, month] = await Promise.all([
    db.usageRecord.findMany({
      where: { apiKey: { grantId }, createdAt: { gt: since } },
      select: { createdAt: true, totalTokens: true, endUserId: true, status: true, errorCode: true },
    }),
    db.usageRecord.aggregate({ where: { apiKey: { grantId }, createdAt: { gte: monthStart } }, _sum: { totalTokens: true } }),
  ]);
  const events: WindowEvent[] = recent
    .filter((row) => countsTowardLimits(row.status, row.errorCode))
    .map((row) => ({ at: row.createdAt.getTime(), tokens: row.totalTokens, endUserId: row.endUserId }));
  return { events, monthTokens: month._sum.totalTokens ?? 0 };
}
