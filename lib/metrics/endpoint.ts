// The scrape endpoint's rules: disabled (404) without METRICS_TOKEN, 401 without the right bearer token (compared in
// constant time), the registry's exposition otherwise.
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { observabilityEnv } from "@/lib/env";
import { gatewayRuntime } from "@/lib/gateway/runtime";
import { metrics } from "./index";

const digest = (value: string) => createHash("sha256").update(value).digest();

function isAuthorized(authorization: string | null, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(authorization ?? "");
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), digest(token));
}

export async function metricsResponse(authorization: string | null): Promise<Response> {
  const token = observabilityEnv().METRICS_TOKEN;
  const noStore = { "cache-control": "no-store" };
  if (!token) return new Response("Not Found\n", { status: 404, headers: { ...noStore, "content-type": "text/plain" } });
  if (!isAuthorized(authorization, token)) {
    return new Response("Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n", { status: 401, headers: { ...noStore, "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' } });
  }
  const { registry, setBufferReader } = metrics();
  const runtime = gatewayRuntime();
  setBufferReader(() => runtime.recorder.pending);
  return new Response(await registry.metrics(), { headers: { ...noStore, "content-type": registry.contentType } });
}
