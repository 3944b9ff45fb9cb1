// GET /applicant/usage/export: the usage records of the applicant's own organisations under the filter, as CSV.
import { usageCsvResponse } from "@/lib/usage/export-route";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return usageCsvResponse(request, "member");
}
