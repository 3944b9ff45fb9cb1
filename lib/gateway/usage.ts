// Step last: one UsageRecord per request after authentication, buffered and written in batches; flushed on an
// interval, when the batch is full, and at shutdown (see lib/gateway/shutdown.ts), so none is lost.
import "server-only";
import { db } from "@/lib/db";
import { countsTowardLimits, type StoredUsage, type WindowEvent } from "./limits";

export interface UsageEntry {
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
  createdAt: Date;
}

export const FLUSH_INTERVAL_MS = 1_000;
export const FLUSH_BATCH_SIZE = 200;

export class UsageRecorder {
  private buffer: UsageEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (entries: UsageEntry[]) => Promise<void>,
    private readonly intervalMs = FLUSH_INTERVAL_MS,
  ) {}

  get pending(): number {
    return this.buffer.length;
  }

  record(entry: UsageEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length >= FLUSH_BATCH_SIZE) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      // The timer must not keep a finished process alive; shutdown and beforeExit flush what is left.
      this.timer.unref();
    }
  }

  /** Writes everything buffered so far; batches are written one after another, and a failed batch is retried. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.buffer;
    this.buffer = [];
    const run = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.write(batch);
      } catch (error) {
        console.error(`[gateway] writing ${batch.length} usage records failed; retrying`, error);
        try {
          await this.write(batch);
        } catch (retryError) {
          console.error("[gateway] usage records lost after retry", retryError, JSON.stringify(batch));
        }
      }
    });
    this.flushing = run;
    return run;
  }
}

export async function writeUsage(entries: UsageEntry[]): Promise<void> {
  await db.usageRecord.createMany({ data: entries });
}

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
