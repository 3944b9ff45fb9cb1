// The Prometheus metrics of this process (`GET /api/metrics`). One registry per process whatever Next bundles:
// prom-client is loaded once from node_modules (serverExternalPackages) and the registry lives in processSingleton.
import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { processSingleton } from "@/lib/process";

export type LimitName = "requests" | "tokens" | "end_user" | "quota";

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<"endpoint" | "status" | "code">;
  duration: Histogram<"endpoint">;
  tokens: Counter<"kind">;
  flags: Counter<"direction">;
  rateLimited: Counter<"limit">;
  moderationFailures: Counter<"provider">;
  /** Read at scrape time: the usage records waiting to be written. */
  setBufferReader(read: () => number): void;
}

function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let readBuffer: () => number = () => 0;
  new Gauge({
    name: "gatehouse_usage_buffer_records",
    help: "Usage and moderation records waiting in this process to be written to the database.",
    registers: [registry],
    collect() {
      this.set(readBuffer());
    },
  });
  return {
    registry,
    requests: new Counter({ name: "gatehouse_api_requests_total", help: "API requests answered, by endpoint, HTTP status and error code (\"\" when none).", labelNames: ["endpoint", "status", "code"], registers: [registry] }),
    duration: new Histogram({
      name: "gatehouse_api_request_duration_seconds",
      help: "Time from receiving an API request to the end of its response (for streams: the stream's end), by endpoint.",
      labelNames: ["endpoint"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    tokens: new Counter({ name: "gatehouse_api_tokens_total", help: "Tokens charged to API keys, by kind (prompt, completion).", labelNames: ["kind"], registers: [registry] }),
    flags: new Counter({ name: "gatehouse_moderation_flags_total", help: "Flagged inputs and outputs, by direction (input, output).", labelNames: ["direction"], registers: [registry] }),
    rateLimited: new Counter({ name: "gatehouse_rate_limited_total", help: "Requests refused by a limit, by limit (requests, tokens, end_user, quota).", labelNames: ["limit"], registers: [registry] }),
    moderationFailures: new Counter({ name: "gatehouse_moderation_failures_total", help: "Moderation calls that failed (the request was refused: fail closed), by provider.", labelNames: ["provider"], registers: [registry] }),
    setBufferReader(read) {
      readBuffer = read;
    },
  };
}

/** This bundle's reference to the process's registry (one lookup per bundle, not one per request). */
let processMetrics: GatewayMetrics | undefined;

export function metrics(): GatewayMetrics {
  return (processMetrics ??= processSingleton("metrics", createMetrics));
}
