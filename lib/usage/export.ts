// CSV export of the usage records behind a dashboard filter: one row per request, streamed in keyset-paginated
// batches ordered by (createdAt, id), so any number of rows leaves in constant memory.
import "server-only";
import pg from "pg";
import { POOL_SETTINGS } from "@/lib/db";
import { databaseUrl } from "@/lib/env";
import { messageOf } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { SessionUser } from "@/lib/users/service";
import { resolveUsageFilter, usageScopeOf, usageWhere, type UsageFilter, type UsageScope } from "./filters";

export const EXPORT_BATCH_SIZE = 5_000;

export const csvColumns = [
  "request_id",
  "time",
  "organization",
  "key_prefix",
  "key_name",
  "end_user",
  "model",
  "endpoint",
  "status",
  "error_code",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "latency_ms",
  "flagged",
] as const;

interface ExportRow {
  id: string;
  requestId: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  organizationName: string;
  keyPrefix: string;
  keyName: string;
  endUserId: string | null;
  model: string;
  endpoint: string;
  status: number;
  errorCode: string | null;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  latencyMs: number;
  isFlagged: boolean;
}

/**
 * One CSV field (RFC 4180): text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a
 * leading apostrophe; a field holding a comma, quote or line break is quoted with its quotes doubled.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(row: ExportRow): string {
  return [
    row.requestId,
    row.createdAt,
    row.organizationName,
    row.keyPrefix,
    row.keyName,
    row.endUserId,
    row.model,
    row.endpoint,
    row.status,
    row.errorCode,
    row.promptTokens,
    row.completionTokens,
    row.totalTokens,
    row.latencyMs,
    row.isFlagged,
  ]
    .map(csvField)
    .join(",");
}

/** Values for the `pg` driver: timestamps as UTC wall time, as Prisma stores them in "timestamp without time zone". */
function pgValues(values: unknown[]): unknown[] {
  return values.map((value) => (value instanceof Date ? value.toISOString() : value));
}

/**
 * One page of rows after the cursor. The export reads through its own `pg` connection rather than Prisma: turning
 * thousands of rows into objects through the driver adapter costs ~10x more than the plain driver, and a
 * million-row export would hold a pooled connection for minutes. The time stays text (no time-zone parsing).
 */
async function fetchBatch(client: pg.Client, where: Prisma.Sql, after: { createdAt: string; id: string } | null, limit: number): Promise<ExportRow[]> {
  const cursor = after ? Prisma.sql`AND (u."createdAt", u."id") > (${after.createdAt}::timestamp(3), ${after.id})` : Prisma.empty;
  const query = Prisma.sql`
    SELECT u."id", u."requestId", to_char(u."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", o."name" AS "organizationName",
           k."prefix" AS "keyPrefix", k."name" AS "keyName", u."endUserId", u."model", u."endpoint", u."status", u."errorCode",
           u."promptTokens", u."completionTokens", u."totalTokens", u."latencyMs", u."isFlagged"
    FROM "UsageRecord" u
    JOIN "ApiKey" k ON k."id" = u."apiKeyId"
    JOIN "Organization" o ON o."id" = u."organizationId"
    WHERE ${where} ${cursor}
    ORDER BY u."createdAt", u."id"
    LIMIT ${limit}`;
  const result = await client.query<ExportRow>(query.text, pgValues(query.values));
  return result.rows;
}

/** The CSV text of the records under `filter`, as a byte stream read batch by batch as the client takes it. */
export function usageCsvStream(scope: UsageScope, filter: UsageFilter, batchSize = EXPORT_BATCH_SIZE): ReadableStream<Uint8Array> {
  const where = usageWhere(scope, filter);
  const encoder = new TextEncoder();
  let after: { createdAt: string; id: string } | null = null;
  let client: pg.Client | null = null;
  const release = async () => {
    const open = client;
    client = null;
    await open?.end().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`${csvColumns.join(",")}\r\n`));
      },
      async pull(controller) {
        try {
          if (!client) {
            client = new pg.Client({ connectionString: databaseUrl(), ...POOL_SETTINGS });
            await client.connect();
          }
          const rows = await fetchBatch(client, where, after, batchSize);
          if (rows.length > 0) {
            controller.enqueue(encoder.encode(rows.map((row) => `${csvLine(row)}\r\n`).join("")));
            const last = rows[rows.length - 1];
            if (last) after = { createdAt: last.createdAt, id: last.id };
          }
          if (rows.length < batchSize) {
            await release();
            controller.close();
          }
        } catch (error) {
          await release();
          console.error("[usage] CSV export failed", messageOf(error));
          controller.error(new Error("The export failed."));
        }
      },
      async cancel() {
        await release();
      },
    },
    { highWaterMark: 1 },
  );
}

/** Authorises, validates the filter (before any byte is sent) and returns the stream and a file name. */
export async function exportUsageCsv({ actor, as, input, now = new Date() }: { actor: SessionUser; as: "admin" | "member"; input: unknown; now?: Date }) {
  const scope = await usageScopeOf(actor, as);
  const filter = await resolveUsageFilter({ scope, input, now });
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const last = new Date(filter.until.getTime() - 1);
  return { filename: `gatehouse-usage-${day(filter.since)}-to-${day(last)}.csv`, stream: usageCsvStream(scope, filter) };
}
