// GET /admin/audit/export: the audit entries under the page's filter as a CSV download, streamed in batches.
// Admins only: 401 signed out, 403 for any other role or a suspended account, 400 for a bad filter.
import { requireApiUser } from "@/lib/auth/session";
import { exportAuditCsv } from "@/lib/audit/queries";
import { httpStatusOf, isAppError, messageOf } from "@/lib/errors";

export const dynamic = "force-dynamic";

function plain(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

export async function GET(request: Request): Promise<Response> {
  let lines: AsyncGenerator<string>;
  try {
    const actor = await requireApiUser(["ADMIN"]);
    lines = exportAuditCsv({ actor, input: Object.fromEntries(new URL(request.url).searchParams) });
  } catch (error) {
    if (isAppError(error)) return plain(httpStatusOf[error.kind], error.message);
    throw error;
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error("[audit] the CSV export failed", messageOf(error));
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="gatehouse-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
}
