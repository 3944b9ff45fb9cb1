// /v1 itself: no endpoint lives here; a 404 in OpenAI's error shape, like every unknown /v1 path.
export { DELETE, GET, PATCH, POST, PUT } from "@/lib/gateway/not-found-route";

export const dynamic = "force-dynamic";
