// /v1/* that no endpoint serves: a 404 in OpenAI's error shape for every method, never the HTML not-found page.
import { refusalResponse } from "@/lib/gateway/pipeline";
import { refusal } from "@/lib/gateway/refusals";

export const dynamic = "force-dynamic";

function notFound(request: Request): Response {
  return refusalResponse(refusal("not_found", { value: `${request.method} ${new URL(request.url).pathname}` }));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
