// GET /api/metrics: this process's metrics in Prometheus' text format, for `Authorization: Bearer $METRICS_TOKEN`
// only; without METRICS_TOKEN the endpoint does not exist (404).
import { metricsResponse } from "@/lib/metrics/endpoint";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return metricsResponse(request.headers.get("authorization"));
}
