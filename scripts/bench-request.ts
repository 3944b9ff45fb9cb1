// What `npm run bench` (scripts/bench.ts) and its in-process profiler (scripts/bench-steps.ts) both send and grant.
import type { KeyScopes } from "@/lib/keys/scopes";

/** The measured request: a short chat completion of the built-in model (every check on for the demo key). */
export const BENCH_REQUEST = { model: "gatehouse-ngram", messages: [{ role: "user", content: "Tell me about the river in the spring." }], max_tokens: 16, temperature: 0 };
export const BENCH_BODY = JSON.stringify(BENCH_REQUEST);

/** The grant's topic: the prompt mentions it, so the topic step does its whole work and passes. */
export const BENCH_TOPICS: KeyScopes["topics"] = [{ name: "Nature", keywords: ["river", "lake", "mountain", "forest", "weather"] }];

/** Limits high enough that the benchmark measures the checks, not refusals. */
export const BENCH_LIMITS = { requestsPerMinute: 1_000_000, tokensPerMinute: 100_000_000, monthlyTokenQuota: 10_000_000_000 } satisfies Partial<KeyScopes>;

/** Gatehouse names of the bench's fake upstream models: one sends a sentence per chunk, the other a word per chunk. */
export const UPSTREAM_SENTENCES_MODEL = "bench-upstream";
export const UPSTREAM_WORDS_MODEL = "bench-upstream-words";
