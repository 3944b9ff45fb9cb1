// /v1/* that no endpoint serves: a 404 in OpenAI's error shape for every method, never the HTML not-found page.
export { DELETE, GET, PATCH, POST, PUT } from "@/lib/gateway/not-found-route";

export const dynamic = "force-dynamic";
