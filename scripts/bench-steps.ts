// The gateway's per-step cost, in process: each step of one /v1/chat/completions request (the same request as
// `npm run bench`) timed alone in a loop, then the whole pipeline and the no-checks baseline without HTTP, then the
// built-in model's tokens per second on one core. No database: the key is put in the key cache (a warm cache, as on
// every call but the first), limits start empty and records go to a writer that drops them.
// Run: npx tsx --conditions=react-server scripts/bench-steps.ts [--window 30000] [--iterations 2000] [--markdown]
// DATA_DIR is where the built-in model lives (trained there first if missing); `npm run bench` passes its own, and
// with DATABASE_URL, BENCH_API_KEY_ID and BENCH_ORGANIZATION_ID also times the usage records' batch write (the
// record pool's prepared INSERT).
import { randomUUID } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { authenticateKey } from "@/lib/gateway/authenticate";
import { authorizeEndpoint, authorizeModel } from "@/lib/gateway/authorize";
import { handleBaseline } from "@/lib/gateway/baseline";
import { readJsonBody } from "@/lib/gateway/body";
import { MAX_BODY_BYTES, type GatewayConfig } from "@/lib/gateway/config";
import { handleChatCompletions } from "@/lib/gateway/endpoints";
import { builtinPieces, runGeneration, type GenerationInput } from "@/lib/gateway/generate";
import { keyCache, type CachedKey } from "@/lib/gateway/key-cache";
import { createMemoryLimitStore, rateLimitHeaders, settledSnapshot, type LimitStore } from "@/lib/gateway/limits";
import { moderateInput, moderateOutput, type ModerationContext } from "@/lib/gateway/moderate";
import { jsonResponse, newRequestId, parseWith, type RequestState } from "@/lib/gateway/pipeline";
import { clientAddress, createRefusalLimiter } from "@/lib/gateway/refusal-limiter";
import { createRuntime, type GatewayRuntime } from "@/lib/gateway/runtime";
import { chatCompletionRequestSchema, messageText } from "@/lib/gateway/schema";
import { chatTokenOverhead, countTokens, countTokensWithin } from "@/lib/gateway/tokens";
import { checkTopic } from "@/lib/gateway/topics";
import { createRecorder, databaseWriter, type RecordRow, type RecordWriter } from "@/lib/gateway/usage";
import { defaultDevelopmentScopes, type KeyScopes } from "@/lib/keys/scopes";
import { generateKeySecret } from "@/lib/keys/secret";
import { moderate } from "@/lib/moderation";
import { chatPrompt, generate, getBuiltinModel } from "@/lib/models/ngram";
import { ensureBuiltinModelFile } from "@/lib/models/ngram/ensure";
import { listModelIds, resolveModel } from "@/lib/models/registry";
import { BENCH_BODY, BENCH_LIMITS, BENCH_REQUEST, BENCH_TOPICS } from "./bench-request";

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

const ITERATIONS = flag("iterations", 2_000);
const WARM_UP = 200;
/** Requests already in the grant's one-minute window for the second admission row (throughput × 60 s). */
const WINDOW_EVENTS = Math.round(flag("window", 30_000));
const MARKDOWN = process.argv.includes("--markdown");
const DATA_DIR = path.resolve(process.env.DATA_DIR ?? "data");

const scopes: KeyScopes = { ...defaultDevelopmentScopes, ...BENCH_LIMITS, topics: BENCH_TOPICS };
const config: GatewayConfig = { dataDir: DATA_DIR, upstream: null, maxBodyBytes: MAX_BODY_BYTES, redisUrl: null, moderation: null };
const dropWriter: RecordWriter = { write: async () => undefined, isReachable: async () => true };
const emptyUsage = async () => ({ events: [], monthTokens: 0 });

interface Timing {
  name: string;
  /** A step the baseline does not do (the rest, such as parsing and generation, both do). */
  isGatewayOnly?: boolean;
  p50: number;
  mean: number;
  p99: number;
}

const gatewayOnly = (timing: Timing): Timing => ({ ...timing, isGatewayOnly: true });

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Times `work` alone, one call at a time: microseconds at p50, mean and p99 over ITERATIONS calls after a warm-up. */
async function time(name: string, work: (i: number) => unknown, iterations = ITERATIONS): Promise<Timing> {
  for (let i = 0; i < WARM_UP; i++) await work(i);
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await work(WARM_UP + i);
    samples[i] = (performance.now() - started) * 1_000;
  }
  const sorted = Array.from(samples).sort((a, b) => a - b);
  return { name, p50: quantile(sorted, 0.5), mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length, p99: quantile(sorted, 0.99) };
}

function benchRequest(authorization: string | null): Request {
  return new Request("http://127.0.0.1/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(BENCH_BODY)), ...(authorization ? { authorization } : {}) },
    body: BENCH_BODY,
  });
}

function runtimeForBench(): GatewayRuntime {
  return { ...createRuntime(config, { writer: dropWriter }), limits: createMemoryLimitStore(emptyUsage) };
}

/** A key in the warm cache, as after its first call (lastUsedAt now, so no lastUsedAt write is due). */
function cacheKey(): { authorization: string; key: CachedKey } {
  const { secret, hash } = generateKeySecret("DEVELOPMENT");
  const key: CachedKey = {
    keyId: randomUUID(),
    organizationId: randomUUID(),
    grantId: randomUUID(),
    scopes,
    suspendedAt: null,
    revokedAt: null,
    graceUntil: null,
    grantRevokedAt: null,
    organizationSuspendedAt: null,
    lastUsedAt: new Date(),
  };
  const cache = keyCache();
  // The listener is not running here; marked as listening so entries live their normal TTL.
  cache.setListening(true);
  cache.set(hash, key, cache.generation());
  return { authorization: `Bearer ${secret}`, key };
}

async function main(): Promise<void> {
  await ensureBuiltinModelFile(DATA_DIR);
  await getBuiltinModel(DATA_DIR);
  countTokens("warm up");
  moderate("warm up the classifier", "standard");

  const { authorization, key } = cacheKey();
  const keyContext = { keyId: key.keyId, organizationId: key.organizationId, grantId: key.grantId, scopes };
  const runtime = runtimeForBench();
  const moderation: ModerationContext = { requestId: newRequestId(), apiKeyId: key.keyId, organizationId: key.organizationId, record: () => undefined };

  // What each step gets from the ones before it, computed once.
  const body = parseWith(chatCompletionRequestSchema, JSON.parse(BENCH_BODY));
  const messages = body.messages.map((message) => ({ role: message.role, content: messageText(message.content) }));
  const promptParts = messages.map((message) => message.content);
  const promptText = promptParts.join("\n");
  const prompt = chatPrompt(messages.map((message) => ({ role: message.role === "developer" ? "system" : message.role, content: message.content })));
  const model = resolveModel(null, body.model);
  if (!model) throw new Error(`unknown model ${body.model}`);
  const input: GenerationInput = { kind: "chat", model, prompt, upstreamBody: { ...body }, maxTokens: body.max_tokens ?? 16, temperature: body.temperature ?? 1, topP: 1, stop: body.stop, seed: null };
  const generation = await runGeneration(config, input);
  const state: RequestState = {
    runtime,
    requestId: newRequestId(),
    endpoint: "chat.completions",
    key: keyContext,
    startedAt: Date.now(),
    model: body.model,
    endUserId: null,
    promptTokens: 12,
    completionTokens: generation.completionTokens,
    isFlagged: false,
    admission: null,
    reservedTokens: 0,
    snapshot: null,
    completion: null,
    streamError: null,
    clientSignal: new AbortController().signal,
  };
  const reserveTokens = 12 + input.maxTokens;
  const refusals = createRefusalLimiter();
  const guardRequest = benchRequest(authorization);
  const recorder = createRecorder(dropWriter);

  // Admission with a one-event window: each admission is a minute after the last, so the window holds only itself.
  const quietStore = createMemoryLimitStore(emptyUsage);
  const minuteApart = Date.now();
  // Admission with WINDOW_EVENTS requests of the last minute in the window (the steady state at that many req/min).
  const busyStore: LimitStore = createMemoryLimitStore(emptyUsage);
  const busyStart = Date.now();
  for (let i = 0; i < WINDOW_EVENTS; i++) {
    const { admission } = await busyStore.admit({ grantId: key.grantId, scopes, endUserId: null, reserveTokens, now: busyStart + i * (30_000 / Math.max(1, WINDOW_EVENTS)) });
    await admission.settle(28);
  }
  // As the pipeline does: admit, settle, and the headers from the admission's snapshot with the difference given back.
  const admitSettle = async (store: LimitStore, now: number) => {
    const { admission, snapshot } = await store.admit({ grantId: key.grantId, scopes, endUserId: null, reserveTokens, now });
    await admission.settle(28);
    return rateLimitHeaders(settledSnapshot(snapshot, reserveTokens, 28));
  };

  const steps: Timing[] = [];
  steps.push(gatewayOnly(
    await time("guards: request id, client address, refusal limiter", () => {
      newRequestId();
      return refusals.isBlocked(`address:${clientAddress(guardRequest)}`, 120);
    }),
  ));
  steps.push(gatewayOnly(await time("authenticate (warm key cache: SHA-256, cache hit, state)", () => authenticateKey({ authorization }))));
  steps.push(gatewayOnly(await time("authorise endpoint and model", () => (authorizeEndpoint(keyContext, "chat.completions"), authorizeModel(keyContext, body.model, listModelIds(null))))));
    steps.push(await time("new Request + read body + JSON.parse (readJsonBody)", () => readJsonBody(benchRequest(authorization), MAX_BODY_BYTES)));
  steps.push(await time("  of which new Request (Next makes one for every route)", () => benchRequest(authorization)));
  steps.push(await time("zod parse (chatCompletionRequestSchema)", () => parseWith(chatCompletionRequestSchema, JSON.parse(BENCH_BODY))));
  steps.push(await time("chat prompt (chatPrompt, its own zod parse)", () => chatPrompt([{ role: "user", content: promptText }])));
  steps.push(await time("token counting (countTokensWithin, o200k)", () => countTokensWithin(promptParts, scopes.maxPromptTokens, chatTokenOverhead(promptParts.length))));
  steps.push(gatewayOnly(await time("admission: admit + settle (window of 1)", (i) => admitSettle(quietStore, minuteApart + i * 60_001))));
  steps.push(await time(`admission: admit + settle (window of ${WINDOW_EVENTS.toLocaleString("en")})`, (i) => admitSettle(busyStore, busyStart + 30_000 + i * 0.01)));
  steps.push(gatewayOnly(await time("topic check (1 topic, 5 keywords)", () => checkTopic(promptText, scopes.topics))));
  steps.push(gatewayOnly(await time("input moderation (standard)", () => moderateInput(promptText, "standard", moderation))));
  steps.push(await time("generation (built-in, max_tokens 16, temperature 0)", () => runGeneration(config, input)));
  steps.push(gatewayOnly(await time("output moderation (standard)", () => moderateOutput(generation.text, "standard", moderation))));
  steps.push(
    await time("response JSON (jsonResponse: body + headers)", () =>
      jsonResponse(state, {
        id: "chatcmpl-bench",
        object: "chat.completion",
        created: 0,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: generation.text, refusal: null }, logprobs: null, finish_reason: generation.finishReason }],
        usage: { prompt_tokens: 12, completion_tokens: generation.completionTokens, total_tokens: 12 + generation.completionTokens },
        system_fingerprint: null,
      }),
    ),
  );
  steps.push(gatewayOnly(
    await time("usage record (buffered; the batch write is not included)", () => {
      const row: RecordRow = {
        kind: "usage",
        entry: { id: randomUUID(), requestId: state.requestId, apiKeyId: key.keyId, organizationId: key.organizationId, endUserId: null, endpoint: "chat.completions", model: body.model, promptTokens: 12, completionTokens: 16, totalTokens: 28, latencyMs: 1, status: 200, errorCode: null, isFlagged: false, createdAt: new Date() },
      };
      recorder.record(row);
    }),
  ));

  // The same work end to end, without HTTP: the pipeline on a Request, and the baseline's handler.
  const pipelineRuntime = runtimeForBench();
  const whole = await time("whole pipeline in process (handleChatCompletions + response text)", async () => {
    const response = await handleChatCompletions(pipelineRuntime, benchRequest(authorization));
    if (response.status !== 200) throw new Error(`pipeline answered ${response.status}: ${await response.text()}`);
    return response.text();
  });
  const baseline = await time("baseline in process (handleBaseline + response text)", async () => (await handleBaseline(config, benchRequest(null))).text());

  const batchWrite = await timeBatchWrite();
  report(steps, whole, baseline, await tokensPerSecond());
  if (batchWrite) {
    console.log(
      `usage records' batch write (databaseWriter.write: one prepared INSERT … unnest over pg, ${BATCH_ROWS} rows a batch, ${batchWrite.batches} batches): ` +
        `${batchWrite.cpuMicrosPerRow.toFixed(0)} µs CPU a row in this process, ${batchWrite.wallMsPerBatch.toFixed(1)} ms a batch by the wall clock`,
    );
  }
}

const BATCH_ROWS = 200;

/** The usage writer's cost, amortised per row: off the request's path, but on the server's CPU (null without a database). */
async function timeBatchWrite(): Promise<{ cpuMicrosPerRow: number; wallMsPerBatch: number; batches: number } | null> {
  const apiKeyId = process.env.BENCH_API_KEY_ID;
  const organizationId = process.env.BENCH_ORGANIZATION_ID;
  if (!process.env.DATABASE_URL || !apiKeyId || !organizationId) return null;
  const batch = (): RecordRow[] =>
    Array.from({ length: BATCH_ROWS }, () => ({
      kind: "usage" as const,
      entry: { id: randomUUID(), requestId: newRequestId(), apiKeyId, organizationId, endUserId: null, endpoint: "chat.completions", model: "gatehouse-ngram", promptTokens: 12, completionTokens: 16, totalTokens: 28, latencyMs: 1, status: 200, errorCode: null, isFlagged: false, createdAt: new Date() },
    }));
  const { disconnectDb } = await import("@/lib/db");
  try {
    for (let i = 0; i < 5; i++) await databaseWriter.write(batch());
    const batches = 30;
    const rows = Array.from({ length: batches }, batch);
    const started = performance.now();
    const cpuStarted = cpuSeconds();
    for (const rowsOfBatch of rows) await databaseWriter.write(rowsOfBatch);
    return { cpuMicrosPerRow: ((cpuSeconds() - cpuStarted) * 1e6) / (batches * BATCH_ROWS), wallMsPerBatch: (performance.now() - started) / batches, batches };
  } finally {
    await disconnectDb();
  }
}

interface Rate {
  generations: number;
  pieces: number;
  o200kTokens: number;
  seconds: number;
  /** This process's CPU time (user + system) over the same span: the rate per CPU second ignores time others took. */
  cpuSeconds: number;
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Seeds 1..TPS_SEEDS are timed; the longest answer among them is also timed alone (see DEGENERATE below). */
const TPS_SEEDS = 3_000;
/**
 * With the bench prompt, seed 3216 makes the model loop on ";" until max_tokens: one unbroken run of 100,000
 * characters, the tokenizer's worst case (its cost grows with the square of a run's length).
 */
const DEGENERATE_SEED = 3_216;

/** Generates seeds 1..TPS_SEEDS (max_tokens 100,000: the model ends an answer at its first finished sentence). */
async function rateOf(answer: (seed: number) => Promise<{ pieces: number; o200kTokens: number }>, seeds: readonly number[]): Promise<Rate> {
  const rate: Rate = { generations: 0, pieces: 0, o200kTokens: 0, seconds: 0, cpuSeconds: 0 };
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  for (const seed of seeds) {
    const { pieces, o200kTokens } = await answer(seed);
    rate.pieces += pieces;
    rate.o200kTokens += o200kTokens;
    rate.generations += 1;
  }
  rate.seconds = (performance.now() - started) / 1_000;
  rate.cpuSeconds = cpuSeconds() - cpuStarted;
  return rate;
}

/**
 * Tokens per second on one core: the n-gram generator alone (lib/models/ngram generate; its text counted with o200k
 * outside the timing), then the gateway's generation step (builtinPieces: the generator plus the o200k token budget)
 * on the same seeds, then the degenerate answer alone through both (each path with a cold tokenizer cache for it).
 */
async function tokensPerSecond(): Promise<{ raw: Rate; gateway: Rate; degenerate: { raw: Rate; gateway: Rate } }> {
  const model = await getBuiltinModel(DATA_DIR);
  const prompt = chatPrompt(BENCH_REQUEST.messages.map((message) => ({ role: "user", content: message.content })));
  const texts = new Map<number, string>();
  const rawAnswer = async (seed: number) => {
    let text = "";
    let pieces = 0;
    for (const piece of generate(model, { prompt, maxTokens: 100_000, temperature: 1, seed })) {
      text += piece;
      pieces += 1;
    }
    texts.set(seed, text);
    return { pieces, o200kTokens: 0 };
  };
  const gatewayAnswer = async (seed: number) => {
    const source = builtinPieces(DATA_DIR, { prompt, maxTokens: 100_000, temperature: 1, topP: 1, stop: [], seed });
    for (let pieces = 0; ; pieces++) {
      const step = await source.next();
      if (step.done) return { pieces, o200kTokens: step.value.completionTokens };
    }
  };
  const seeds = Array.from({ length: TPS_SEEDS }, (_, i) => i + 1);
  // Warm-up: both paths compiled by the JIT before either is timed.
  const warmUp = Array.from({ length: 300 }, (_, i) => 1_000_000 + i);
  await rateOf(rawAnswer, warmUp);
  await rateOf(gatewayAnswer, warmUp);
  // The gateway's path first: gpt-tokenizer caches what it has counted, and the raw texts are counted afterwards.
  const gateway = await rateOf(gatewayAnswer, seeds);
  const raw = await rateOf(rawAnswer, seeds);
  raw.o200kTokens = seeds.reduce((sum, seed) => sum + countTokens(texts.get(seed) ?? ""), 0);
  const degenerateGateway = await rateOf(gatewayAnswer, [DEGENERATE_SEED]);
  const degenerateRaw = await rateOf(rawAnswer, [DEGENERATE_SEED]);
  degenerateRaw.o200kTokens = countTokens(texts.get(DEGENERATE_SEED) ?? "");
  return { raw, gateway, degenerate: { raw: degenerateRaw, gateway: degenerateGateway } };
}

function report(steps: Timing[], whole: Timing, baseline: Timing, streamed: Awaited<ReturnType<typeof tokensPerSecond>>): void {
  const us = (value: number) => value.toFixed(1).padStart(8);
  const gatewayOnlySum = steps.filter((step) => step.isGatewayOnly).reduce((total, step) => total + step.p50, 0);
  if (MARKDOWN) {
    console.log("| step | p50 µs | mean µs | p99 µs |\n|---|---:|---:|---:|");
    for (const step of [...steps, whole, baseline]) console.log(`| ${step.name}${step.isGatewayOnly ? " *" : ""} | ${step.p50.toFixed(1)} | ${step.mean.toFixed(1)} | ${step.p99.toFixed(1)} |`);
  } else {
    console.log(`per-step cost of one /v1/chat/completions request, in process (${ITERATIONS} calls each after ${WARM_UP} warm-up):`);
    console.log(`${"step".padEnd(72)}  p50 µs  mean µs   p99 µs`);
    for (const step of steps) console.log(`${`${step.name}${step.isGatewayOnly ? " *" : ""}`.padEnd(72)}${us(step.p50)} ${us(step.mean)} ${us(step.p99)}`);
    console.log(`${"".padEnd(72, "-")}`);
    console.log(`${whole.name.padEnd(72)}${us(whole.p50)} ${us(whole.mean)} ${us(whole.p99)}`);
    console.log(`${baseline.name.padEnd(72)}${us(baseline.p50)} ${us(baseline.mean)} ${us(baseline.p99)}`);
  }
  console.log(`in-process overhead (pipeline - baseline): p50 ${(whole.p50 - baseline.p50).toFixed(1)} µs, mean ${(whole.mean - baseline.mean).toFixed(1)} µs`);
  console.log(`sum of the p50s of the steps the baseline does not do (marked *): ${gatewayOnlySum.toFixed(1)} µs`);
  for (const [name, rate] of [
    ["n-gram generator alone", streamed.raw],
    ["gateway generation step (builtinPieces)", streamed.gateway],
  ] as const) {
    console.log(
      `tokens/s, ${name}, one core: ${(rate.o200kTokens / rate.cpuSeconds).toFixed(0)} o200k tokens per CPU second (${(rate.pieces / rate.cpuSeconds).toFixed(0)} model pieces),` +
        ` ${(rate.o200kTokens / rate.seconds).toFixed(0)}/s by the wall clock (seeds 1-${rate.generations}, max_tokens 100,000, ${(rate.pieces / rate.generations).toFixed(1)} pieces an answer, ${rate.cpuSeconds.toFixed(2)} CPU s)`,
    );
  }
  const { degenerate } = streamed;
  console.log(
    `the degenerate answer (seed ${DEGENERATE_SEED}: ${degenerate.raw.pieces.toLocaleString("en")} pieces, ${degenerate.raw.o200kTokens.toLocaleString("en")} o200k tokens, no space in it):` +
      ` generator ${(degenerate.raw.cpuSeconds * 1_000).toFixed(0)} ms CPU, gateway generation step ${(degenerate.gateway.cpuSeconds * 1_000).toFixed(0)} ms CPU`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
