// The CSV export route handlers' shared body (GET /admin/usage/export and GET /applicant/usage/export).
import "server-only";
import { requireApiUser } from "@/lib/auth/session";
import { httpStatusOf, isAppError } from "@/lib/errors";
import { exportUsageCsv } from "./export";
import { searchParamsToInput } from "./filters";

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

