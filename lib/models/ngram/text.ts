// Token-level text helpers shared by the corpus reader, the prompt tokenizer and the detokenizer.

// Curly quotes keep opening and closing apart inside the model; output prints them as ASCII.
export const OPEN_DOUBLE = "\u201c";
export const CLOSE_DOUBLE = "\u201d";
export const OPEN_SINGLE = "\u2018";
export const CLOSE_SINGLE = "\u2019";

export const SENTENCE_ENDS: ReadonlySet<string> = new Set([".", "?", "!"]);
const CLOSERS: ReadonlySet<string> = new Set([CLOSE_DOUBLE, CLOSE_SINGLE, ")", "]", "}"]);
const NO_SPACE_BEFORE: ReadonlySet<string> = new Set([
  ",", ".", ";", ":", "?", "!", "%", "...", ...CLOSERS,
  "'s", "'S", "n't", "N'T", "'re", "'ll", "'ve", "'d", "'m",
]);
const NO_SPACE_AFTER: ReadonlySet<string> = new Set(["(", "[", "{", "$", OPEN_DOUBLE, OPEN_SINGLE]);

const SURFACE: ReadonlyMap<string, string> = new Map([
  [OPEN_DOUBLE, '"'],
  [CLOSE_DOUBLE, '"'],
  [OPEN_SINGLE, "'"],
  [CLOSE_SINGLE, "'"],
]);

/** How a model token is printed. */
export function surfaceOf(token: string): string {
  return SURFACE.get(token) ?? token;
}

/** Whether a space goes between two adjacent tokens; `previous` null means start of text. */
export function needsSpace(previous: string | null, current: string): boolean {
  if (previous === null) return false;
  if (NO_SPACE_BEFORE.has(current)) return false;
  if (NO_SPACE_AFTER.has(previous)) return false;
  return true;
}

/** Whether a token carries a word (letters or digits) rather than only punctuation. */
export function isWordToken(token: string): boolean {
  return /[\p{L}\p{N}]/u.test(token);
}

/** Index just past the last sentence end in `tokens` (0 when none); closing quotes/brackets stay with their sentence. */
export function currentSentenceStart(tokens: readonly string[]): number {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token === undefined || !SENTENCE_ENDS.has(token)) continue;
    let end = i + 1;
    while (end < tokens.length && CLOSERS.has(tokens[end] ?? "")) end++;
    return end;
  }
  return 0;
}

/** Renders tokens as text with English spacing. */
export function detokenize(tokens: readonly string[]): string {
  let text = "";
  let previous: string | null = null;
  for (const token of tokens) {
    text += (needsSpace(previous, token) ? " " : "") + surfaceOf(token);
    previous = token;
  }
  return text;
}

const LEADING_PUNCT = /^(?:``|''|[“‘"'`(\[{$])/u;
const TRAILING_PUNCT = /(?:''|\.\.\.|[”’"'.,;:?!)\]}%])$/u;

/**
 * Splits free text into corpus-style tokens. `keepWhole(whole, stripped)` decides whether an edge
 * mark belongs to the word (as in "Mr.", "workers'" or "'em") rather than being punctuation.
 */
export function tokenizeText(text: string, keepWhole: (whole: string, stripped: string) => boolean): string[] {
  const tokens: string[] = [];
  let doubleOpen = false;
  for (const chunk of text.split(/\s+/u)) {
    if (chunk === "") continue;
    for (const part of chunk.split(/(--+|\u2014|\u2013)/u)) {
      if (part === "") continue;
      if (/^(?:--+|\u2014|\u2013)$/u.test(part)) {
        tokens.push("--");
        continue;
      }
      const leading: string[] = [];
      const trailing: string[] = [];
      let core = part;
      for (let match = LEADING_PUNCT.exec(core); match && core.length > 0; match = LEADING_PUNCT.exec(core)) {
        const mark = match[0];
        if ((mark === "'" || mark === "$") && core.length > 1 && keepWhole(core, core.slice(1))) break;
        leading.push(mark);
        core = core.slice(mark.length);
      }
      for (let match = TRAILING_PUNCT.exec(core); match && core.length > 0; match = TRAILING_PUNCT.exec(core)) {
        const mark = match[0];
        if ((mark === "." || mark === "'" || mark === "%") && core.length > 1 && keepWhole(core, core.slice(0, -1))) break;
        trailing.unshift(mark);
        core = core.slice(0, core.length - mark.length);
      }
      const isAlone = core === "";
      const push = (mark: string, side: "open" | "close") => {
        // A lone double quote is judged by the running open/closed state.
        const token = quoteToken(mark, mark === '"' && isAlone ? (doubleOpen ? "close" : "open") : side);
        if (token === OPEN_DOUBLE) doubleOpen = true;
        if (token === CLOSE_DOUBLE) doubleOpen = false;
        tokens.push(token);
      };
      for (const mark of leading) push(mark, "open");
      if (!isAlone) tokens.push(core);
      for (const mark of trailing) push(mark, "close");
    }
  }
  return tokens;
}

function quoteToken(mark: string, side: "open" | "close"): string {
  switch (mark) {
    case "``":
      return OPEN_DOUBLE;
    case "''":
      return CLOSE_DOUBLE;
    case '"':
      return side === "open" ? OPEN_DOUBLE : CLOSE_DOUBLE;
    case "'":
    case "`":
      return side === "open" ? OPEN_SINGLE : CLOSE_SINGLE;
    default:
      return mark;
  }
}
