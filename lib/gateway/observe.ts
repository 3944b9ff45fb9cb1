// The last step of every /v1 request, answered or refused: counted in the metrics (lib/metrics) and logged as one
// structured line (lib/log). Cheap and synchronous: a few counter increments and one write.
import "server-only";
import type { ApiEndpoint } from "@/lib/keys/scopes";
import { logger } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import type { RefusalDetails } from "./refusals";

export interface RequestOutcome {
  requestId: string;
  endpoint: ApiEndpoint;
  keyId: string | null;
  status: number;
  code: string | null;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  limitName?: RefusalDetails["limitName"];
}

export function observeRequest(outcome: RequestOutcome): void {
  const m = metrics();
  m.requests.inc({ endpoint: outcome.endpoint, status: String(outcome.status), code: outcome.code ?? "" });
  m.duration.observe({ endpoint: outcome.endpoint }, outcome.latencyMs / 1000);
  if (outcome.promptTokens > 0) m.tokens.inc({ kind: "prompt" }, outcome.promptTokens);
  if (outcome.completionTokens > 0) m.tokens.inc({ kind: "completion" }, outcome.completionTokens);
  if (outcome.limitName) m.rateLimited.inc({ limit: outcome.limitName });
  const line = {
    requestId: outcome.requestId,
    route: `/v1/${outcome.endpoint.replaceAll(".", "/")}`,
    keyId: outcome.keyId,
    status: outcome.status,
    code: outcome.code,
    latencyMs: outcome.latencyMs,
    tokens: outcome.promptTokens + outcome.completionTokens,
  };
  if (outcome.status >= 500) logger().error(line, "api request failed");
  else logger().info(line, "api request");
}

/** The moderation service failed (the request is refused). */
export function observeModerationFailure(provider: "external"): void {
  metrics().moderationFailures.inc({ provider });
}

/** A flagged input or output (its event is recorded by the moderation step). */
export function observeFlag(direction: "INPUT" | "OUTPUT"): void {
  metrics().flags.inc({ direction: direction === "INPUT" ? "input" : "output" });
}
