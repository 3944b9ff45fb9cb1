// GET /v1/models: the models this key may use.
import { handleListModels } from "@/lib/gateway/endpoints";
import { methodNotAllowed } from "@/lib/gateway/pipeline";
import { gatewayRuntime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleListModels(gatewayRuntime(), request);
}

export const POST = () => methodNotAllowed("GET");
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
