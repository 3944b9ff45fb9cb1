// POST /v1/chat/completions: OpenAI-compatible chat completions (JSON or server-sent events), every scope enforced.
import { handleChatCompletions } from "@/lib/gateway/endpoints";
import { methodNotAllowed } from "@/lib/gateway/pipeline";
import { gatewayRuntime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return handleChatCompletions(gatewayRuntime(), request);
}

export const GET = () => methodNotAllowed("POST");
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
