// POST /v1/moderations: OpenAI-shaped moderation results from the built-in classifier.
import { handleModerations } from "@/lib/gateway/endpoints";
import { methodNotAllowed } from "@/lib/gateway/pipeline";
import { gatewayRuntime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleModerations(gatewayRuntime(), request);
}

export const GET = () => methodNotAllowed("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
