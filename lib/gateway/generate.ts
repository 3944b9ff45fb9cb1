// Step 6 and the text part of step 7: run the built-in model or the upstream, then apply stop sequences and the
// output token limit (gpt-tokenizer counts), so every model obeys the same rules. `streamGeneration` yields text as
// it is generated (for `stream: true`); `runGeneration` returns the whole answer.
import { getBuiltinModel, generate as generateNgram } from "@/lib/models/ngram";
import type { ResolvedModel } from "@/lib/models/registry";
import { callUpstream, streamUpstream } from "@/lib/models/upstream";
import type { GatewayConfig } from "./config";
import { refuse } from "./refusals";
import { countTokens, countTokensChunked, truncateToTokens } from "./tokens";

export type FinishReason = "stop" | "length" | "content_filter";

export interface GenerationInput {
  kind: "chat" | "completion";
  model: ResolvedModel;
  /** Built-in model prompt (chat: chatPrompt of the messages). */
  prompt: string;
  /** The request's own fields, forwarded to an upstream as they are (model replaced). */
  upstreamBody: Record<string, unknown>;
  maxTokens: number;
  temperature: number;
  topP: number;
  stop: string[];
  seed: number | null;
}

export interface GenerationEnd {
  finishReason: FinishReason;
  completionTokens: number;
  /** The upstream's own prompt count, when it reported one. */
  upstreamPromptTokens: number | null;
}

export interface Generation extends GenerationEnd {
  text: string;
}

/**
 * The built-in model conditions on the prompt's last sentence and its topic words; reading a long prompt whole
 * would block the server (about 0.3 s a 1 MB prompt), so it reads the last PROMPT_CONTEXT_CHARS characters.
 */
export const PROMPT_CONTEXT_CHARS = 4_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Yields pieces while their gpt-tokenizer count stays within `maxTokens`; the count is exact near the limit. */
class TokenBudget {
  private text = "";
  private estimate = 0;
  constructor(private readonly maxTokens: number) {}

  /** The piece fits: it is added. Otherwise nothing is added. */
  accept(piece: string): boolean {
    const pieceTokens = countTokens(piece);
    if (this.estimate + pieceTokens + 2 > this.maxTokens && countTokensChunked(this.text + piece) > this.maxTokens) return false;
    this.text += piece;
    this.estimate += pieceTokens;
    return true;
  }

  get tokens(): number {
    return countTokensChunked(this.text);
  }
}

/** The built-in model as a stream of pieces, stopped before its count would exceed maxTokens. */
export async function* builtinPieces(dataDir: string, input: Pick<GenerationInput, "prompt" | "maxTokens" | "temperature" | "topP" | "stop" | "seed">): AsyncGenerator<string, GenerationEnd> {
  const model = await getBuiltinModel(dataDir);
  const iterator = generateNgram(model, {
    prompt: input.prompt.length > PROMPT_CONTEXT_CHARS ? input.prompt.slice(-PROMPT_CONTEXT_CHARS).toWellFormed() : input.prompt,
    // The n-gram generator caps its pieces at 100k; the token budget is what enforces max_tokens.
    maxTokens: Math.min(input.maxTokens, 100_000),
    temperature: input.temperature,
    topP: input.topP,
    stop: input.stop,
    ...(input.seed === null ? {} : { seed: input.seed }),
  });
  const budget = new TokenBudget(input.maxTokens);
  let finishReason: FinishReason = "length";
  let sliceStart = performance.now();
  for (;;) {
    const step = iterator.next();
    if (step.done) {
      finishReason = step.value.finishReason;
      break;
    }
    if (!budget.accept(step.value)) break;
    yield step.value;
    // A long answer must not hold the event loop: other requests (and this stream's sending) go on between slices.
    if (performance.now() - sliceStart > 4) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return { finishReason, completionTokens: budget.tokens, upstreamPromptTokens: null };
}

/** An upstream's streamed answer with the gateway's stop sequences and token limit applied as it arrives. */
async function* upstreamPieces(config: GatewayConfig, input: GenerationInput, signal: AbortSignal | undefined, onAccepted: (() => void) | undefined): AsyncGenerator<string, GenerationEnd> {
  const upstream = config.upstream ?? refuse("model_not_found", { param: "model", value: input.model.id });
  if (input.model.kind !== "upstream") return refuse("model_not_found", { param: "model", value: input.model.id });
  const source = streamUpstream({
    config: upstream,
    kind: input.kind,
    body: { ...input.upstreamBody, model: input.model.upstreamModel, max_tokens: input.maxTokens, max_completion_tokens: undefined, n: undefined },
    ...(signal ? { signal } : {}),
    ...(onAccepted ? { onAccepted } : {}),
  });
  const stops = input.stop.filter((sequence) => sequence !== "");
  // Text that could still be the start of a stop sequence is held back until it cannot.
  const holdBack = Math.max(0, ...stops.map((sequence) => sequence.length - 1));
  const budget = new TokenBudget(input.maxTokens);
  let pending = "";
  let emittedAll = true;
  const release = function* (text: string): Generator<string, boolean> {
    for (const piece of text.match(/\s*\S+|\s+$/gu) ?? []) {
      if (!budget.accept(piece)) return false;
      yield piece;
    }
    return true;
  };
  for (;;) {
    const step = await source.next();
    if (step.done) {
      if (pending !== "") emittedAll = yield* release(pending);
      let finishReason: FinishReason = step.value.finishReason === "length" ? "length" : step.value.finishReason === "content_filter" ? "content_filter" : "stop";
      if (!emittedAll) finishReason = "length";
      const completionTokens = emittedAll && step.value.completionTokens !== null ? step.value.completionTokens : budget.tokens;
      return { finishReason, completionTokens, upstreamPromptTokens: step.value.promptTokens };
    }
    pending += step.value;
    const stopAt = stops.reduce((first, sequence) => {
      const at = pending.indexOf(sequence);
      return at >= 0 && (first < 0 || at < first) ? at : first;
    }, -1);
    if (stopAt >= 0) {
      await source.return({ finishReason: "stop", promptTokens: null, completionTokens: null });
      const fits = yield* release(pending.slice(0, stopAt));
      return { finishReason: fits ? "stop" : "length", completionTokens: budget.tokens, upstreamPromptTokens: null };
    }
    const cut = pending.length - holdBack;
    if (cut > 0) {
      const ready = pending.slice(0, cut);
      pending = pending.slice(cut);
      if (!(yield* release(ready))) {
        await source.return({ finishReason: "length", promptTokens: null, completionTokens: null });
        return { finishReason: "length", completionTokens: budget.tokens, upstreamPromptTokens: null };
      }
    }
  }
}

/**
 * Text as it is generated, for `stream: true`. Aborting `signal` stops the generation (and closes the upstream);
 * `onAccepted` is called when an upstream has accepted the request.
 */
export function streamGeneration(config: GatewayConfig, input: GenerationInput, signal?: AbortSignal, onAccepted?: () => void): AsyncGenerator<string, GenerationEnd> {
  return input.model.kind === "builtin" ? builtinPieces(config.dataDir, input) : upstreamPieces(config, input, signal, onAccepted);
}

function cutAtStop(text: string, stop: readonly string[]): { text: string; isCut: boolean } {
  let cut = -1;
  for (const sequence of stop) {
    if (sequence === "") continue;
    const at = text.indexOf(sequence);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  return cut < 0 ? { text, isCut: false } : { text: text.slice(0, cut), isCut: true };
}

/**
 * The whole answer (non-streamed requests); an upstream is called without streaming, as the client asked, and
 * aborting `signal` (the client went away) closes its request.
 */
export async function runGeneration(config: GatewayConfig, input: GenerationInput, signal?: AbortSignal): Promise<Generation> {
  if (input.model.kind === "builtin") {
    const source = builtinPieces(config.dataDir, input);
    const pieces: string[] = [];
    for (;;) {
      const step = await source.next();
      if (!step.done) {
        pieces.push(step.value);
        continue;
      }
      let text = pieces.join("");
      let { completionTokens, finishReason } = step.value;
      // Merging across piece boundaries can, rarely, change the count: a whole answer drops pieces until it fits.
      while (completionTokens > input.maxTokens && pieces.length > 0) {
        pieces.pop();
        text = pieces.join("");
        completionTokens = countTokensChunked(text);
        finishReason = "length";
      }
      return { ...step.value, text, completionTokens, finishReason };
    }
  }
  const upstreamConfig = config.upstream ?? refuse("model_not_found", { param: "model", value: input.model.id });
  const upstream = await callUpstream({
    config: upstreamConfig,
    kind: input.kind,
    body: { ...input.upstreamBody, model: input.model.upstreamModel, max_tokens: input.maxTokens, max_completion_tokens: undefined, n: undefined },
    ...(signal ? { signal } : {}),
  });
  let finishReason: FinishReason = upstream.finishReason === "length" ? "length" : upstream.finishReason === "content_filter" ? "content_filter" : "stop";
  const stopped = cutAtStop(upstream.text, input.stop);
  if (stopped.isCut) finishReason = "stop";
  const limited = truncateToTokens(stopped.text, input.maxTokens);
  if (limited.isTruncated) finishReason = "length";
  const completionTokens = !stopped.isCut && !limited.isTruncated && upstream.completionTokens !== null ? upstream.completionTokens : countTokensChunked(limited.text);
  return { text: limited.text, finishReason, completionTokens, upstreamPromptTokens: upstream.promptTokens };
}
