// Samples text from the n-gram model: prompt conditioning, temperature, nucleus sampling, stop sequences.
import { pooledRandomUint32 } from "@/lib/random";
import { BOS_ID, EOS_ID, contextKey, findContext, lookupWord, wordWeight, type NgramModel } from "./model";
import { chatMessageSchema, generateOptionsSchema, type ChatMessage, type GenerateOptions } from "./schema";
import { SENTENCE_ENDS, currentSentenceStart, isWordToken, needsSpace, surfaceOf, tokenizeText } from "./text";

export type FinishReason = "stop" | "length";
export type GenerateResult = {
  /** The whole output; equal to the concatenation of the yielded pieces. */
  text: string;
  finishReason: FinishReason;
  /** Model pieces produced (each word or punctuation mark counts one), never more than maxTokens. */
  pieceCount: number;
};

/** Shorter contexts add their words as candidates while the longer ones offered fewer than this. */
const MIN_CANDIDATES = 5;
/** Only the most frequent continuations of a context become candidates, which bounds the work per step. */
const CANDIDATES_PER_CONTEXT = 256;

/** Cache-model boost: prompt words that are not function words get this factor, to stay on topic. */
const TOPIC_BOOST = 3;

/** Per-model scratch buffers; each step uses and clears them synchronously, so interleaved generators can share them. */
type Scratch = {
  probs: Float64Array;
  marks: Uint8Array;
  candidates: Uint32Array;
  weights: Float64Array;
  sorted: Float64Array;
  /** (level index, context index) pairs matched in the current step. */
  found: Int32Array;
};
const scratchByModel = new WeakMap<NgramModel, Scratch>();

function scratchFor(model: NgramModel): Scratch {
  let scratch = scratchByModel.get(model);
  if (!scratch) {
    const capacity = Math.max(model.unigramTop.length, model.levels.length * CANDIDATES_PER_CONTEXT);
    const vocabSize = model.vocab.length;
    scratch = {
      probs: new Float64Array(vocabSize),
      marks: new Uint8Array(vocabSize),
      candidates: new Uint32Array(capacity),
      weights: new Float64Array(capacity),
      sorted: new Float64Array(capacity),
      found: new Int32Array(2 * model.levels.length),
    };
    scratchByModel.set(model, scratch);
  }
  return scratch;
}

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG, enough for reproducible sampling. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Folds any safe integer (negative or above 2^32) into a 32-bit seed. */
function seedToUint32(seed: number): number {
  const low = seed % 4294967296;
  const high = Math.floor(seed / 4294967296);
  return (low ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

function randomSeed(): number {
  return pooledRandomUint32();
}

type SampleSettings = { temperature: number; topP: number; random: () => number; topic: ReadonlySet<number> };

/** Words that would repeat an n-gram (of the model's order) already in the output; avoids greedy loops. */
type Blocked = ReadonlySet<number> | undefined;

/**
 * Picks the next word id. Probabilities are the full interpolated Kneser-Ney ones, but candidates come only
 * from the longest matching contexts (shorter ones join while there are too few), so the smoothing mass that
 * reaches every word through the unigram level cannot put random function words into the text.
 */
function sampleNext(model: NgramModel, history: readonly number[], canEnd: boolean, blocked: Blocked, settings: SampleSettings): number {
  const scratch = scratchFor(model);
  const { probs, marks, candidates, weights, sorted, found } = scratch;
  const vocabSize = model.vocab.length;
  let count = 0;
  let foundCount = 0;
  let weight = 1;
  for (let level = model.levels.length - 1; level >= 0; level--) {
    const table = model.levels[level];
    if (!table) continue;
    const width = table.order - 1;
    if (history.length < width) continue;
    const context = findContext(table.contextKeys, contextKey(history, history.length - width, history.length, vocabSize));
    if (context < 0) continue;
    found[2 * foundCount] = level;
    found[2 * foundCount + 1] = context;
    foundCount++;
    const total = table.contextTotals[context] ?? 1;
    const start = table.entryStart[context] ?? 0;
    const end = table.entryStart[context + 1] ?? 0;
    const isCandidateSource = count < MIN_CANDIDATES;
    for (let e = start; e < end; e++) {
      const word = table.entryWords[e] ?? 0;
      probs[word] = (probs[word] ?? 0) + (weight * ((table.entryCounts[e] ?? 0) - model.discount)) / total;
      if (isCandidateSource && e - start < CANDIDATES_PER_CONTEXT && marks[word] === 0 && (canEnd || word !== EOS_ID)) {
        marks[word] = 1;
        candidates[count++] = word;
      }
    }
    weight *= table.gammas[context] ?? 1;
  }
  if (count === 0) {
    for (const word of model.unigramTop) candidates[count++] = word;
  }

  let hasUnblocked = blocked === undefined;
  if (blocked) for (let i = 0; i < count; i++) if (!blocked.has(candidates[i] ?? 0)) hasUnblocked = true;
  let best = 0;
  let bestIndex = 0;
  for (let i = 0; i < count; i++) {
    const word = candidates[i] ?? 0;
    let p = (probs[word] ?? 0) + weight * (model.unigramProbs[word] ?? 0);
    if (settings.topic.has(word)) p *= TOPIC_BOOST;
    // A repeat is allowed only when every candidate would repeat.
    if (hasUnblocked && blocked?.has(word)) p = 0;
    weights[i] = p;
    if (p > best) {
      best = p;
      bestIndex = i;
    }
  }
  // Clear only what this step touched: every stored word of the matched contexts.
  for (let f = 0; f < foundCount; f++) {
    const table = model.levels[found[2 * f] ?? 0];
    const context = found[2 * f + 1] ?? 0;
    if (!table) continue;
    for (let e = table.entryStart[context] ?? 0, end = table.entryStart[context + 1] ?? 0; e < end; e++) {
      const word = table.entryWords[e] ?? 0;
      probs[word] = 0;
      marks[word] = 0;
    }
  }

  if (settings.temperature === 0 || count === 1 || best <= 0) return candidates[bestIndex] ?? EOS_ID;

  // Scaling by the best weight first keeps low temperatures from underflowing to all zeros.
  const exponent = 1 / settings.temperature;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const scaled = Math.pow((weights[i] ?? 0) / best, exponent);
    weights[i] = scaled;
    sum += scaled;
  }
  let threshold = 0;
  if (settings.topP < 1) {
    const view = sorted.subarray(0, count);
    view.set(weights.subarray(0, count));
    view.sort();
    let cumulative = 0;
    for (let i = count - 1; i >= 0; i--) {
      threshold = view[i] ?? 0;
      cumulative += threshold;
      if (cumulative >= settings.topP * sum) break;
    }
  }
  let kept = 0;
  for (let i = 0; i < count; i++) if ((weights[i] ?? 0) >= threshold) kept += weights[i] ?? 0;
  let target = settings.random() * kept;
  let chosen = bestIndex;
  for (let i = 0; i < count; i++) {
    const w = weights[i] ?? 0;
    if (w < threshold) continue;
    chosen = i;
    target -= w;
    if (target < 0) break;
  }
  return candidates[chosen] ?? EOS_ID;
}

/** Key of the whole (short) history, its length included so contexts of different lengths never collide. */
function historyKey(history: readonly number[], vocabSize: number): number {
  return contextKey(history, 0, history.length, vocabSize) + history.length * Math.pow(vocabSize, history.length);
}

/** Prompt state: the model context to continue from, the token to space against, and its topic words. */
type PromptState = {
  history: number[];
  previousToken: string | null;
  sentenceLength: number;
  sentenceHasWords: boolean;
  topic: Set<number>;
};

function readPrompt(model: NgramModel, prompt: string): PromptState {
  // A period belongs to a word only where the corpus spells it that way more often ("Mr." but not "in.").
  const keepWhole = (whole: string, stripped: string) => {
    const weight = wordWeight(model, whole);
    return weight > 0 && (!whole.endsWith(".") || weight >= wordWeight(model, stripped));
  };
  const tokens = tokenizeText(prompt, keepWhole);
  const start = currentSentenceStart(tokens);
  const sentence = tokens.slice(start).map((token) => lookupWord(model, token));
  const width = model.order - 1;
  const history = [BOS_ID, ...sentence].slice(-width);
  const topic = new Set<number>();
  for (const token of tokens) {
    if (token.length < 3 || !isWordToken(token)) continue;
    for (const id of model.lowerIds.get(token.toLowerCase()) ?? []) if (model.isCommon[id] === 0) topic.add(id);
  }
  const last = tokens[tokens.length - 1];
  const previousToken = prompt === "" || /\s$/u.test(prompt) || last === undefined ? null : last;
  return { history, previousToken, sentenceLength: sentence.length, sentenceHasWords: tokens.slice(start).some(isWordToken), topic };
}

/**
 * Streams the continuation of `prompt`, one piece per model token (with its leading space).
 * Ends with "stop" at a stop sequence (cut before it) or at the end of the first sentence that contains
 * output words; "length" after maxTokens pieces. Same seed and options give the same text.
 */
export function* generate(model: NgramModel, options: GenerateOptions): Generator<string, GenerateResult, undefined> {
  const { prompt, maxTokens, temperature, topP, seed, stop } = generateOptionsSchema.parse(options);
  const stops = stop.filter((sequence) => sequence !== "");
  const longestStop = stops.reduce((longest, sequence) => Math.max(longest, sequence.length), 0);
  const state = readPrompt(model, prompt);
  const settings: SampleSettings = {
    temperature,
    topP,
    random: createRandom(seedToUint32(seed ?? randomSeed())),
    topic: state.topic,
  };
  const width = model.order - 1;
  const vocabSize = model.vocab.length;
  const history = state.history;
  const seen = new Map<number, Set<number>>();
  let previousToken = state.previousToken;
  let sentenceLength = state.sentenceLength;
  let sentenceHasWords = state.sentenceHasWords;
  let outputHasWords = false;
  let pieceCount = 0;
  let text = "";
  let released = 0;
  const held: string[] = [];

  while (pieceCount < maxTokens) {
    const lastToken = previousToken ?? "";
    // An ending is allowed once the sentence has words, and right away only after a sentence-final mark.
    const canEnd = sentenceLength > 0 && sentenceHasWords && (outputHasWords || SENTENCE_ENDS.has(lastToken) || /^[\u201d\u2019)]$/u.test(lastToken));
    const seenKey = historyKey(history, vocabSize);
    const next = sampleNext(model, history, canEnd, seen.get(seenKey), settings);
    if (next === EOS_ID) {
      if (outputHasWords) {
        for (const piece of held) yield piece;
        return { text, finishReason: "stop", pieceCount };
      }
      // Only the prompt's sentence ended: go on with a new sentence.
      history.length = 0;
      history.push(BOS_ID);
      sentenceLength = 0;
      sentenceHasWords = false;
      continue;
    }
    const followers = seen.get(seenKey);
    if (followers) followers.add(next);
    else seen.set(seenKey, new Set([next]));
    const token = model.vocab[next] ?? "";
    const piece = (needsSpace(previousToken, token) ? " " : "") + surfaceOf(token);
    previousToken = token;
    history.push(next);
    if (history.length > width) history.shift();
    sentenceLength++;
    pieceCount++;
    if (isWordToken(token)) {
      sentenceHasWords = true;
      outputHasWords = true;
    }

    const before = text.length;
    text += piece;
    if (stops.length === 0) {
      released = text.length;
      yield piece;
      continue;
    }
    held.push(piece);
    // Any stop sequence first completed by this piece must start after the released text.
    const from = Math.max(released, before - longestStop + 1);
    let cut = -1;
    for (const sequence of stops) {
      const at = text.indexOf(sequence, from);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      let offset = released;
      for (const heldPiece of held) {
        const keep = heldPiece.slice(0, Math.max(0, cut - offset));
        if (keep !== "") yield keep;
        offset += heldPiece.length;
      }
      return { text: text.slice(0, cut), finishReason: "stop", pieceCount };
    }
    // Hold back pieces from the earliest point where the text could still grow into a stop sequence.
    let safe = text.length;
    for (let at = Math.max(released, text.length - longestStop + 1); at < text.length; at++) {
      const tail = text.slice(at);
      if (stops.some((sequence) => sequence.startsWith(tail))) {
        safe = at;
        break;
      }
    }
    while (held.length > 0 && released + (held[0]?.length ?? 0) <= safe) {
      const piece = held.shift() ?? "";
      released += piece.length;
      yield piece;
    }
  }
  for (const piece of held) yield piece;
  return { text, finishReason: "length", pieceCount };
}

/** Runs `generate` to the end and returns its result. */
export function generateText(model: NgramModel, options: GenerateOptions): GenerateResult {
  const iterator = generate(model, options);
  for (;;) {
    const step = iterator.next();
    if (step.done) return step.value;
  }
}

/**
 * Turns a chat into a prompt: the last user message, closed as a sentence and followed by a newline,
 * so the reply starts a new sentence (no leading space) while the user's words steer its topic.
 */
export function chatPrompt(messages: ChatMessage[]): string {
  const parsed = chatMessageSchema.array().parse(messages);
  const lastUser = [...parsed].reverse().find((message) => message.role === "user");
  const content = lastUser?.content.trim() ?? "";
  if (content === "") return "";
  const closed = /[.?!]["'\u201d\u2019)\]]*$/u.test(content) ? content : `${content}.`;
  return `${closed}\n`;
}
