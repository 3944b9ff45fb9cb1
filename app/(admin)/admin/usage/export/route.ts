// GET /admin/usage/export: every organisation's usage records under the dashboard's filter, as CSV (admins only).
import { usageCsvResponse } from "@/lib/usage/export-route";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return usageCsvResponse(request, "admin");
}
