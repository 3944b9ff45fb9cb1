// Step 6 and the text part of step 7: run the built-in model or the upstream, then apply stop sequences and the
// output token limit (gpt-tokenizer counts), so every model obeys the same rules.
import { getBuiltinModel, generate as generateNgram } from "@/lib/models/ngram";
import type { ResolvedModel } from "@/lib/models/registry";
import { callUpstream } from "@/lib/models/upstream";
import type { GatewayConfig } from "./config";
import { refuse } from "./refusals";
import { countTokens, truncateToTokens } from "./tokens";

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
  stream: boolean;
}

export interface Generation {
  text: string;
  /** Pieces to stream; they concatenate to `text`. */
  pieces: string[];
  finishReason: FinishReason;
  completionTokens: number;
  /** The upstream's own prompt count, when it reported one. */
  upstreamPromptTokens: number | null;
}

/** The built-in model, stopped before its gpt-tokenizer count would exceed maxTokens. */
export async function generateBuiltin(dataDir: string, input: Pick<GenerationInput, "prompt" | "maxTokens" | "temperature" | "topP" | "stop" | "seed">): Promise<Generation> {
  const model = await getBuiltinModel(dataDir);
  const iterator = generateNgram(model, {
    prompt: input.prompt,
    // The n-gram generator caps its pieces at 100k; the token check below is what enforces max_tokens.
    maxTokens: Math.min(input.maxTokens, 100_000),
    temperature: input.temperature,
    topP: input.topP,
    stop: input.stop,
    ...(input.seed === null ? {} : { seed: input.seed }),
  });
  const pieces: string[] = [];
  let text = "";
  let estimate = 0;
  let finishReason: FinishReason = "length";
  for (;;) {
    const step = iterator.next();
    if (step.done) {
      finishReason = step.value.finishReason;
      break;
    }
    const piece = step.value;
    const pieceTokens = countTokens(piece);
    // Exact count only near the limit: far from it the sum of the pieces' counts is a safe guide.
    if (estimate + pieceTokens + 2 > input.maxTokens && countTokens(text + piece) > input.maxTokens) {
      finishReason = "length";
      break;
    }
    pieces.push(piece);
    text += piece;
    estimate += pieceTokens;
  }
  let completionTokens = countTokens(text);
  // Merging across piece boundaries can, rarely, change the count: drop whole pieces until it fits.
  while (completionTokens > input.maxTokens && pieces.length > 0) {
    const last = pieces.pop() ?? "";
    text = text.slice(0, text.length - last.length);
    completionTokens = countTokens(text);
    finishReason = "length";
  }
  return { text, pieces, finishReason, completionTokens, upstreamPromptTokens: null };
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

/** Splits text into word-sized pieces for streaming. */
export function splitPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/gu) ?? [];
}

export async function runGeneration(config: GatewayConfig, input: GenerationInput): Promise<Generation> {
  if (input.model.kind === "builtin") return generateBuiltin(config.dataDir, input);
  if (!config.upstream) refuse("model_not_found", { param: "model", value: input.model.id });
  const upstream = await callUpstream({
    config: config.upstream,
    kind: input.kind,
    body: { ...input.upstreamBody, model: input.model.upstreamModel, max_tokens: input.maxTokens, max_completion_tokens: undefined, n: undefined },
    stream: input.stream,
  });
  let finishReason: FinishReason = upstream.finishReason === "length" ? "length" : upstream.finishReason === "content_filter" ? "content_filter" : "stop";
  const stopped = cutAtStop(upstream.text, input.stop);
  if (stopped.isCut) finishReason = "stop";
  const limited = truncateToTokens(stopped.text, input.maxTokens);
  if (limited.isTruncated) finishReason = "length";
  const completionTokens = !stopped.isCut && !limited.isTruncated && upstream.completionTokens !== null ? upstream.completionTokens : countTokens(limited.text);
  return { text: limited.text, pieces: splitPieces(limited.text), finishReason, completionTokens, upstreamPromptTokens: upstream.promptTokens };
}
