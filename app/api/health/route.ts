// GET /api/health: 200 when the database answers, 503 when it does not (for load balancers and uptime checks).
import { checkDatabase } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase();
  return Response.json(
    { status: database.ok ? "ok" : "unavailable", database: database.ok ? "ok" : "unreachable" },
    { status: database.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
