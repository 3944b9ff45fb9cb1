// CSV export of the usage records behind a dashboard filter: one row per request, streamed in keyset-paginated
// batches ordered by (createdAt, id), so any number of rows leaves in constant memory.
import "server-only";
import { requireApiUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { httpStatusOf, isAppError, messageOf } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { SessionUser } from "@/lib/users/service";
import { resolveUsageFilter, searchParamsToInput, usageScopeOf, usageWhere, type UsageFilter, type UsageScope } from "./filters";

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
  createdAt: Date;
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
    row.createdAt.toISOString(),
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

async function fetchBatch(where: Prisma.Sql, after: { createdAt: Date; id: string } | null, limit: number): Promise<ExportRow[]> {
  const cursor = after ? Prisma.sql`AND (u."createdAt", u."id") > (${after.createdAt}, ${after.id})` : Prisma.empty;
  return db.$queryRaw<ExportRow[]>`
    SELECT u."id", u."requestId", u."createdAt", o."name" AS "organizationName", k."prefix" AS "keyPrefix", k."name" AS "keyName",
           u."endUserId", u."model", u."endpoint", u."status", u."errorCode", u."promptTokens", u."completionTokens",
           u."totalTokens", u."latencyMs", u."isFlagged"
    FROM "UsageRecord" u
    JOIN "ApiKey" k ON k."id" = u."apiKeyId"
    JOIN "Organization" o ON o."id" = u."organizationId"
    WHERE ${where} ${cursor}
    ORDER BY u."createdAt", u."id"
    LIMIT ${limit}`;
}

/** The CSV text of the records under `filter`, as a byte stream read batch by batch as the client takes it. */
export function usageCsvStream(scope: UsageScope, filter: UsageFilter, batchSize = EXPORT_BATCH_SIZE): ReadableStream<Uint8Array> {
  const where = usageWhere(scope, filter);
  const encoder = new TextEncoder();
  let after: { createdAt: Date; id: string } | null = null;
  let isHeaderSent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!isHeaderSent) {
          isHeaderSent = true;
          controller.enqueue(encoder.encode(`${csvColumns.join(",")}\r\n`));
          return;
        }
        try {
          const rows = await fetchBatch(where, after, batchSize);
          if (rows.length > 0) {
            controller.enqueue(encoder.encode(rows.map((row) => `${csvLine(row)}\r\n`).join("")));
            const last = rows[rows.length - 1];
            if (last) after = { createdAt: last.createdAt, id: last.id };
          }
          if (rows.length < batchSize) controller.close();
        } catch (error) {
          console.error("[usage] CSV export failed", messageOf(error));
          controller.error(new Error("The export failed."));
        }
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

/**
 * The route handlers' whole body: 401 for visitors, 403 outside the role, 400/404 with a plain message for a bad
 * or foreign filter, else the CSV as an attachment.
 */
export async function usageCsvResponse(request: Request, as: "admin" | "member"): Promise<Response> {
  try {
    const actor = await requireApiUser(as === "admin" ? ["ADMIN"] : ["APPLICANT"]);
    const { filename, stream } = await exportUsageCsv({ actor, as, input: searchParamsToInput(new URL(request.url).searchParams) });
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    const fields = Object.values(error.fieldErrors).flat().filter(Boolean);
    const message = error.kind === "invalid" && fields.length > 0 ? fields.join(" ") : error.message;
    return new Response(`${message}\n`, { status: httpStatusOf[error.kind], headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  }
}

