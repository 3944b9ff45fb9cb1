// POST /v1/bench/baseline: the benchmark's no-checks baseline; 404 unless GATEHOUSE_BENCH_BASELINE=1.
import { serverEnv } from "@/lib/env";
import { handleBaseline } from "@/lib/gateway/baseline";
import { gatewayConfig } from "@/lib/gateway/config";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> | Response {
  if (!serverEnv().GATEHOUSE_BENCH_BASELINE) return new Response("Not found", { status: 404 });
  return handleBaseline(gatewayConfig(), request);
}
