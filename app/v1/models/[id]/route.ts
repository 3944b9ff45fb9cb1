// GET /v1/models/{id}: one model, when this key may use it.
import { handleRetrieveModel } from "@/lib/gateway/endpoints";
import { methodNotAllowed } from "@/lib/gateway/pipeline";
import { gatewayRuntime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleRetrieveModel(gatewayRuntime(), request, id);
}

export const POST = () => methodNotAllowed("GET");
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
