// The process-wide gateway state: configuration, limit counters, the usage buffer and in-flight requests.
import "server-only";
import { countTokens } from "gpt-tokenizer";
import { moderate } from "@/lib/moderation";
import { getBuiltinModel } from "@/lib/models/ngram";
import { gatewayConfig, type GatewayConfig } from "./config";
import { LimitTracker } from "./limits";
import { loadStoredUsage, UsageRecorder, writeUsage } from "./usage";

export interface GatewayRuntime {
  config: GatewayConfig;
  limits: LimitTracker;
  usage: UsageRecorder;
  inFlight: Set<Promise<unknown>>;
}

export function createRuntime(config: GatewayConfig, { flushIntervalMs }: { flushIntervalMs?: number } = {}): GatewayRuntime {
  return { config, limits: new LimitTracker(loadStoredUsage), usage: new UsageRecorder(writeUsage, flushIntervalMs), inFlight: new Set() };
}

// On globalThis so that every route handler bundle of the server shares one state.
const globalForGateway = globalThis as unknown as { gatehouseGateway?: GatewayRuntime };

export function gatewayRuntime(): GatewayRuntime {
  globalForGateway.gatehouseGateway ??= createRuntime(gatewayConfig());
  return globalForGateway.gatehouseGateway;
}

export function existingRuntime(): GatewayRuntime | undefined {
  return globalForGateway.gatehouseGateway;
}

/**
 * Loads what the first request would otherwise wait for: the built-in model, the tokenizer and the moderation
 * classifier's compiled patterns (the latter alone takes seconds).
 */
export async function warmUpGateway(config: GatewayConfig): Promise<void> {
  const started = Date.now();
  await getBuiltinModel(config.dataDir);
  countTokens("warm up");
  moderate("warm up the classifier", "standard");
  console.log(`[gateway] ready in ${Date.now() - started} ms (model, tokenizer, moderation)`);
}

/** Waits for in-flight requests (at most `timeoutMs`), then writes every buffered usage record. */
export async function drainRuntime(runtime: GatewayRuntime, timeoutMs = 10_000): Promise<void> {
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
  await Promise.race([Promise.allSettled([...runtime.inFlight]), deadline]);
  await runtime.usage.flush();
}
