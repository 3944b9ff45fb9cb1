// POST /v1/completions: OpenAI-compatible (legacy) text completions (JSON or server-sent events), every scope enforced.
import { handleCompletions } from "@/lib/gateway/endpoints";
import { methodNotAllowed } from "@/lib/gateway/pipeline";
import { gatewayRuntime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleCompletions(gatewayRuntime(), request);
}

export const GET = () => methodNotAllowed("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
