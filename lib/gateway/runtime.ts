// The process-wide gateway state: configuration, limit counters, the record writer, the refusal limiter and the
// requests in flight. One per process through processSingleton (Next bundles instrumentation and each route handler
// separately); it holds plain data and closures only, so no bundle depends on another's classes.
import "server-only";
import { setMaxListeners } from "node:events";
import { countTokens } from "gpt-tokenizer";
import { moderate } from "@/lib/moderation";
import { getBuiltinModel } from "@/lib/models/ngram";
import { processSingleton } from "@/lib/process";
import { settlesWithin } from "@/lib/timing";
import { afterRecordsStored } from "./after-store";
import { gatewayConfig, type GatewayConfig } from "./config";
import { createMemoryLimitStore, type LimitStore } from "./limits";
import { createRedisLimitStore } from "./redis-limits";
import { spillRecords } from "./spill";
import { createRefusalLimiter, type RefusalLimiter } from "./refusal-limiter";
import { createRecorder, databaseWriter, loadStoredUsage, type Recorder, type RecordRow, type RecordWriter } from "./usage";

export interface GatewayRuntime {
  config: GatewayConfig;
  limits: LimitStore;
  recorder: Recorder;
  refusals: RefusalLimiter;
  inFlight: Set<Promise<unknown>>;
  /** Stops of the streams being sent (the shutdown ends those still open at its deadline, recording them). */
  openStreams: Set<() => void>;
  /** Set at shutdown: new requests are refused with 503 while the ones in flight finish. */
  isStopping: boolean;
  /** Aborted at the drain's deadline: a body still arriving then (a stalled client) is refused, not waited for. */
  bodyReads: AbortController;
}

export function createRuntime(
  config: GatewayConfig,
  {
    flushIntervalMs,
    writer = databaseWriter,
    capacity,
    afterStored = afterRecordsStored,
  }: {
    flushIntervalMs?: number;
    writer?: RecordWriter;
    capacity?: number;
    /** The oversight checks after each stored batch (lib/gateway/after-store.ts); tests of the recorder alone pass none. */
    afterStored?: (rows: RecordRow[]) => Promise<void>;
  } = {},
): GatewayRuntime {
  return {
    config,
    limits: config.redisUrl ? createRedisLimitStore(config.redisUrl, loadStoredUsage) : createMemoryLimitStore(loadStoredUsage),
    recorder: createRecorder(writer, {
      ...(flushIntervalMs ? { intervalMs: flushIntervalMs } : {}),
      ...(capacity ? { capacity } : {}),
      keepUnstorable: (rows) => spillRecords(config.dataDir, rows),
      onStored: (rows) => void afterStored(rows),
    }),
    refusals: createRefusalLimiter(),
    inFlight: new Set(),
    openStreams: new Set(),
    isStopping: false,
    bodyReads: sharedAbortController(),
  };
}

/** One controller every request in flight listens to (each body read adds a listener): no limit of 10 to warn at. */
function sharedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** This bundle's reference to the process's runtime (one lookup per bundle, not one per request). */
let processRuntime: GatewayRuntime | undefined;

export function gatewayRuntime(): GatewayRuntime {
  return (processRuntime ??= processSingleton("gateway", () => createRuntime(gatewayConfig())));
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

/**
 * Waits for in-flight requests, streams included (at most `timeoutMs`; a stream starts while its request is in
 * flight, so it is seen), then ends the streams still open, which records them with the tokens generated so far, and
 * refuses the bodies still arriving; what has not ended `graceMs` later is left (it has answered nobody).
 */
export async function drainInFlight(runtime: GatewayRuntime, timeoutMs = 10_000, graceMs = 2_000): Promise<void> {
  await settledWithin(runtime.inFlight, timeoutMs);
  for (const stop of [...runtime.openStreams]) stop();
  runtime.bodyReads.abort();
  // What is still running now answered nobody yet (nothing acknowledged is left behind): it gets a moment to end.
  await settledWithin(runtime.inFlight, graceMs);
}

/** Waits until every promise in `work` (new ones included) has settled, or `timeoutMs` has passed. */
async function settledWithin(work: Set<Promise<unknown>>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (work.size > 0 && Date.now() < deadline) await settlesWithin(Promise.allSettled([...work]), Math.max(0, deadline - Date.now()));
}
