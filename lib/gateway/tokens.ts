// Token counts as OpenAI reports them, with gpt-tokenizer's o200k encoding, bounded so that no prompt can stall the
// server: the tokenizer's cost grows with the square of an unbroken run's length (a 96 KB word took 6.7 s, 600 KB of
// CJK minutes), so long text is counted in chunks cut where o200k's pre-tokenizer would cut anyway (the count is
// exact), the event loop is yielded between chunks, and counting stops as soon as a limit is passed.
import { countTokens, decode, encode } from "gpt-tokenizer";

export { countTokens };

/** A prompt longer than this many characters per allowed token is refused without counting (no text comes close). */
export const MAX_CHARS_PER_TOKEN = 32;
/** Chunks are cut at a safe boundary within this many characters. */
const CHUNK_CHARS = 512;
/** A run with no safe boundary (base64, unpunctuated CJK) is cut every this many characters; its count is then approximate. */
const FORCED_CUT_CHARS = 256;
/** Counting yields the event loop after this much work, so other requests wait at most about this long. */
const SLICE_MS = 4;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;
/** Characters that may continue a word's pre-token: letters, digits, marks and the apostrophes of contractions. */
const JOINS_WORDS = /[\p{L}\p{N}\p{M}'’]/u;
/** A run of combining marks longer than this is not looked through for its base (no cut there). */
const MAX_MARKS = 32;

/**
 * Whether an o200k pre-token holding a letter or digit ends right before index `k`: the character before is a letter
 * or digit, or a combining mark on a letter (o200k's words take marks; after a digit or punctuation a mark starts or
 * joins a punctuation run instead).
 */
function endsWord(text: string, k: number): boolean {
  let base = k - 1;
  let marks = 0;
  while (base >= 0 && MARK.test(text[base] ?? "")) {
    if (++marks > MAX_MARKS) return false;
    base--;
  }
  const char = text[base];
  if (char === undefined) return false;
  return marks === 0 ? LETTER_OR_DIGIT.test(char) : LETTER.test(char);
}

/**
 * A safe cut before index `k`: a word or number ends there and the character at `k` cannot continue it (not a letter,
 * digit, mark or apostrophe). Every o200k pre-token that holds a letter or digit ends there, so counting the two sides
 * apart gives the same total as counting the whole.
 */
function isSafeCut(text: string, k: number): boolean {
  const at = text[k];
  if (at === undefined || k === 0) return false;
  // A surrogate pair is tested as its halves, which match no class here: no cut inside or right after one.
  if (/[\uD800-\uDFFF]/.test(at)) return false;
  return !JOINS_WORDS.test(at) && endsWord(text, k);
}

/** Where the chunk starting at `start` ends. */
function chunkEnd(text: string, start: number): number {
  const limit = start + CHUNK_CHARS;
  if (limit >= text.length) return text.length;
  for (let k = limit; k > start + 1; k--) if (isSafeCut(text, k)) return k;
  let forced = start + FORCED_CUT_CHARS;
  // Never split a surrogate pair.
  if (/[\uDC00-\uDFFF]/.test(text[forced] ?? "")) forced += 1;
  return forced;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Splits text into chunks whose token counts add up to the count of the whole (exactly, but for forced cuts). */
export function* tokenChunks(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    const end = chunkEnd(text, start);
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * Counts the tokens of `texts`, yielding between chunks; stops early and returns a number above `limit` as soon
 * as the count passes it. A short text is one chunk, counted in one go; the yield check runs after every chunk, so
 * many short texts (2,048 messages of 512 unbroken characters) cannot hold the event loop either.
 */
export async function countTokensWithin(texts: readonly string[], limit: number, overhead = 0): Promise<number> {
  let total = overhead;
  let sliceStart = performance.now();
  for (const text of texts) {
    for (const chunk of tokenChunks(text)) {
      total += countTokens(chunk);
      if (total > limit) return total;
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }
  return total;
}

/** OpenAI's chat accounting: each message costs its content plus 3, and the reply is primed with 3 more. */
export function chatTokenOverhead(messageCount: number): number {
  return messageCount * 3 + 3;
}

/** The exact chat count for short, trusted text (the benchmark baseline). */
export function countChatTokens(messages: readonly { role: string; content: string }[]): number {
  return messages.reduce((sum, message) => sum + countTokens(message.content), chatTokenOverhead(messages.length));
}

/** The count of any text in time linear in its length (chunked like `countTokensWithin`, without yielding). */
export function countTokensChunked(text: string): number {
  if (text.length <= CHUNK_CHARS) return countTokens(text);
  let total = 0;
  for (const chunk of tokenChunks(text)) total += countTokens(chunk);
  return total;
}

/** The longest prefix of `text` with at most `maxTokens` tokens, found chunk by chunk (linear in the text read). */
export function truncateToTokens(text: string, maxTokens: number): { text: string; isTruncated: boolean } {
  let used = 0;
  let kept = "";
  for (const chunk of tokenChunks(text)) {
    const tokens = encode(chunk);
    if (used + tokens.length > maxTokens) return { text: kept + decode(tokens.slice(0, maxTokens - used)), isTruncated: true };
    used += tokens.length;
    kept += chunk;
  }
  return { text, isTruncated: false };
}
