import {
  DataSet,
  RegExpMatcher,
  englishDataset,
  englishRecommendedTransformers,
  type EnglishProfaneWord,
} from "obscenity";
import {
  allowedIdioms,
  categoryTerms,
  minorIndicators,
  obscenityWhitelist,
  obscenityWordCategories,
  phraseMacros,
  type TermTier,
} from "./terms";

// OpenAI's omni-moderation categories, in the order its API returns them.
export const moderationCategories = [
  "harassment",
  "harassment/threatening",
  "hate",
  "hate/threatening",
  "illicit",
  "illicit/violent",
  "self-harm",
  "self-harm/intent",
  "self-harm/instructions",
  "sexual",
  "sexual/minors",
  "violence",
  "violence/graphic",
] as const;

export type ModerationCategory = (typeof moderationCategories)[number];

export const moderationLevels = ["off", "standard", "strict"] as const;

export type ModerationLevel = (typeof moderationLevels)[number];

export interface ModerationResult {
  flagged: boolean;
  categories: Record<ModerationCategory, boolean>;
  category_scores: Record<ModerationCategory, number>;
  category_applied_input_types: Record<ModerationCategory, "text"[]>;
}

export interface ModerationOutcome {
  result: ModerationResult;
  flagged: boolean;
  flaggedCategories: ModerationCategory[];
}

export interface RedactionOutcome {
  text: string;
  redacted: number;
}

// A category flags when its score reaches the level's threshold; "off" never flags.
export const moderationThresholds: Readonly<Record<ModerationLevel, number>> = {
  off: Number.POSITIVE_INFINITY,
  standard: 0.7,
  strict: 0.25,
};

// Score = 1 - 0.5^(sum of weights): strong 0.75 alone, medium 0.5, mild 0.29.
const tierWeights: Readonly<Record<TermTier, number>> = { strong: 2, medium: 1, mild: 0.5 };

// Caps mild evidence at 1 - 0.5^1.5 ≈ 0.65 so a pile of swear words never reaches "standard".
const maxMildWeight = 1.5;

// Clearly sexual content (a strong term, or two medium ones) plus a minor-indicator scores "sexual/minors".
const sexualWeightForMinorRule = 2;

const parentCategories: ReadonlyArray<readonly [child: ModerationCategory, parent: ModerationCategory]> = [
  ["harassment/threatening", "harassment"],
  ["hate/threatening", "hate"],
  ["illicit/violent", "illicit"],
  ["self-harm/intent", "self-harm"],
  ["self-harm/instructions", "self-harm"],
  ["sexual/minors", "sexual"],
  ["violence/graphic", "violence"],
];

const redactionMarker = "[redacted]";

// Bounds how far a partial obscenity match is widened to its word, so a huge joined "word" stays linear.
const maxWidening = 32;

// ---------------------------------------------------------------------------------------------------------
// Phrase compilation. The pattern language is described at the top of terms.ts. Phrases are matched against
// a canonical form of the text (lower-case, leetspeak decoded, repeated letters collapsed, apostrophes
// dropped, separators collapsed to one space), and each phrase is only tried at words it can start with, so
// the cost grows with the words in the text rather than with the number of phrases.

type PhraseNode =
  | { kind: "word"; text: string }
  | { kind: "any-letters" }
  | { kind: "number" }
  | { kind: "literal"; text: string }
  | { kind: "clause-end" }
  | { kind: "space" }
  | { kind: "join" }
  | { kind: "gap" }
  | { kind: "group"; alternatives: PhraseNode[][]; isOptional: boolean };

interface CompiledPhrase {
  key: string;
  tier: TermTier;
  category: ModerationCategory | null;
  // Sticky, so it only matches at the word start it is tried at.
  regex: RegExp;
  // Each set holds the words one later part of the phrase can start with; a text lacking all of one set
  // cannot match, which spares the regex ("how to ~ make ~ bomb" is skipped in text without "bomb").
  anchors: ReadonlyArray<readonly string[]>;
  // Whether the anchors are in the text of the `findPhrases` call numbered `checkedInCall` (worked out once per call).
  checkedInCall: number;
  isPossible: boolean;
}

interface PhraseIndex {
  byWord: ReadonlyMap<string, readonly CompiledPhrase[]>;
  byPrefix: ReadonlyMap<string, readonly CompiledPhrase[]>;
}

// Gap words skip negations so "i will never hurt you" does not read as "i will ... hurt you".
const gapWord = "(?!(?:not|never|no|dont|wont|cant|wouldnt|shouldnt)(?![a-z0-9]))[a-z0-9]+";
const maxGapWords = 3;

function expandMacros(phrase: string): string {
  let expanded = phrase;
  for (let depth = 0; expanded.includes("{"); depth++) {
    if (depth > 4) throw new Error(`moderation phrase macros nest too deeply: ${phrase}`);
    expanded = expanded.replace(/\{(\w+)\}/g, (_match, name: string) => {
      const body = phraseMacros[name];
      if (body === undefined) throw new Error(`unknown moderation phrase macro {${name}} in: ${phrase}`);
      return `(${body})`;
    });
  }
  return expanded;
}

// Same folding as the text gets: repeated letters collapse ("kill" and "kiiill" both become "kil").
function collapseRepeats(word: string): string {
  let out = "";
  for (const ch of word) if (!(ch === out.charAt(out.length - 1) && ch >= "a" && ch <= "z")) out += ch;
  return out;
}

function parsePhrase(phrase: string): PhraseNode[] {
  const source = expandMacros(phrase.trim().toLowerCase()).replace(/'/g, "").replace(/ +/g, " ").replace(/ ~ /g, "~");
  let position = 0;
  const fail = (reason: string): never => {
    throw new Error(`${reason} at ${position} in moderation phrase: ${phrase}`);
  };

  // Reads alternatives up to the ")" closing the current group (or the end of the phrase at the top level).
  const parseAlternatives = (): { alternatives: PhraseNode[][]; isClosed: boolean } => {
    const alternatives: PhraseNode[][] = [[]];
    while (position < source.length) {
      const ch = source.charAt(position);
      const current = alternatives[alternatives.length - 1] ?? fail("no alternative");
      if (/[a-z0-9]/.test(ch)) {
        const word = /^[a-z0-9]+/.exec(source.slice(position))?.[0] ?? "";
        current.push({ kind: "word", text: collapseRepeats(word) });
        position += word.length;
        continue;
      }
      position++;
      if (ch === "|") alternatives.push([]);
      else if (ch === ")") return { alternatives, isClosed: true };
      else if (ch === "(") {
        const inner = parseAlternatives();
        if (!inner.isClosed) fail('unclosed "("');
        const isOptional = source.charAt(position) === "?";
        if (isOptional) position++;
        current.push({ kind: "group", alternatives: inner.alternatives, isOptional });
      } else if (ch === " ") current.push({ kind: "space" });
      else if (ch === "-") current.push({ kind: "join" });
      else if (ch === "~") current.push({ kind: "space" }, { kind: "gap" });
      else if (ch === "*") current.push({ kind: "any-letters" });
      else if (ch === "#") current.push({ kind: "number" });
      else if (ch === "/" || ch === ".") current.push({ kind: "literal", text: ch });
      else if (ch === "$") current.push({ kind: "clause-end" });
      else fail(`unsupported character ${JSON.stringify(ch)}`);
    }
    return { alternatives, isClosed: false };
  };

  const { alternatives, isClosed } = parseAlternatives();
  if (isClosed) fail('unbalanced ")"');
  return alternatives.length === 1 ? (alternatives[0] ?? []) : [{ kind: "group", alternatives, isOptional: false }];
}

function nodesToRegexSource(nodes: readonly PhraseNode[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case "word":
          return node.text;
        case "any-letters":
          return "[a-z]*";
        case "number":
          return "[0-9]+";
        case "literal":
          return `\\${node.text}`;
        case "clause-end":
          return "(?= ?(?:[^a-z0-9 ]|$))";
        case "space":
          return " ";
        case "join":
          return "(?: |)";
        case "gap":
          return `(?:${gapWord} ){0,${maxGapWords}}`;
        case "group":
          return `(?:${node.alternatives.map(nodesToRegexSource).join("|")})${node.isOptional ? "?" : ""}`;
        default: {
          const unreachable: never = node;
          return unreachable;
        }
      }
    })
    .join("");
}

interface FirstWords {
  // Whole first words ("kill", "selfharm") and, for phrases starting "murder*", two-letter prefixes.
  exact: Set<string>;
  prefixes: Set<string>;
}

class NoLiteralFirstWord extends Error {}

function firstWords(nodes: readonly PhraseNode[], phrase: string): FirstWords {
  const words: FirstWords = { exact: new Set(), prefixes: new Set() };
  const fail = (): never => {
    throw new NoLiteralFirstWord(`moderation phrase must start with a literal word: ${phrase}`);
  };
  const endWord = (acc: string): void => {
    if (acc === "") fail();
    words.exact.add(acc);
  };
  const walk = (seq: readonly PhraseNode[], index: number, acc: string, next: (acc: string) => void): void => {
    const node = seq[index];
    if (node === undefined) return next(acc);
    switch (node.kind) {
      case "word":
        return walk(seq, index + 1, acc + node.text, next);
      case "space":
      case "gap":
      case "literal":
      case "clause-end":
        return endWord(acc);
      case "join":
        if (acc !== "") words.exact.add(acc);
        return walk(seq, index + 1, acc, next);
      case "group":
        for (const alternative of node.alternatives) walk(alternative, 0, acc, (inner) => walk(seq, index + 1, inner, next));
        if (node.isOptional) walk(seq, index + 1, acc, next);
        return;
      case "any-letters":
      case "number":
        if (acc.length < 2) fail();
        words.prefixes.add(acc.slice(0, 2));
        return;
      default: {
        const unreachable: never = node;
        return unreachable;
      }
    }
  };
  walk(nodes, 0, "", endWord);
  return words;
}

// Parts of the phrase after the first that start and end on a word boundary and always match something.
function anchorWords(nodes: readonly PhraseNode[], phrase: string): string[][] {
  const anchors: string[][] = [];
  nodes.forEach((node, index) => {
    const before = nodes[index - 1]?.kind;
    const after = nodes[index + 1]?.kind;
    const isWholeWords = (before === "space" || before === "gap") && (after === undefined || after === "space");
    if (!isWholeWords || (node.kind !== "word" && node.kind !== "group") || (node.kind === "group" && node.isOptional)) return;
    try {
      const { exact, prefixes } = firstWords([node], phrase);
      if (prefixes.size === 0) anchors.push([...exact]);
    } catch (error) {
      // An alternative that can be empty or starts with a wildcard is no anchor.
      if (!(error instanceof NoLiteralFirstWord)) throw error;
    }
  });
  return anchors;
}

interface PhraseEntry {
  phrase: string;
  key: string;
  tier: TermTier;
  category: ModerationCategory | null;
}

function addToBucket(buckets: Map<string, CompiledPhrase[]>, key: string, phrase: CompiledPhrase): void {
  const bucket = buckets.get(key) ?? [];
  bucket.push(phrase);
  buckets.set(key, bucket);
}

function buildPhraseIndex(entries: readonly PhraseEntry[]): PhraseIndex {
  const byWord = new Map<string, CompiledPhrase[]>();
  const byPrefix = new Map<string, CompiledPhrase[]>();
  for (const { phrase, key, tier, category } of entries) {
    const nodes = parsePhrase(phrase);
    const compiled: CompiledPhrase = {
      key,
      tier,
      category,
      regex: new RegExp(`(?:${nodesToRegexSource(nodes)})(?![a-z0-9])`, "y"),
      // Smallest first: a text lacking a part is ruled out after the fewest lookups (most texts lack one).
      anchors: anchorWords(nodes, phrase).sort((a, b) => a.length - b.length),
      checkedInCall: 0,
      isPossible: false,
    };
    const { exact, prefixes } = firstWords(nodes, phrase);
    for (const word of exact) addToBucket(byWord, word, compiled);
    for (const prefix of prefixes) addToBucket(byPrefix, prefix, compiled);
  }
  return { byWord, byPrefix };
}

const tierOrder: readonly TermTier[] = ["strong", "medium", "mild"];

const categoryIndex = buildPhraseIndex(
  moderationCategories.flatMap((category) =>
    tierOrder.flatMap((tier) =>
      categoryTerms[category][tier].map((phrase, position) => ({
        phrase,
        key: `${category}:${tier}:${position}`,
        tier,
        category,
      })),
    ),
  ),
);
const untieredIndex = (phrases: readonly string[]): PhraseIndex =>
  buildPhraseIndex(phrases.map((phrase, position) => ({ phrase, key: String(position), tier: "mild", category: null })));
const allowedIdiomIndex = untieredIndex(allowedIdioms);
const minorIndicatorIndex = untieredIndex(minorIndicators);

const obscenityDataset = new DataSet<{ originalWord: EnglishProfaneWord | null }>()
  .addAll(englishDataset)
  .addPhrase((phrase) =>
    obscenityWhitelist.reduce((builder, term) => builder.addWhitelistedTerm(term), phrase.setMetadata({ originalWord: null })),
  );
const obscenityMatcher = new RegExpMatcher({ ...obscenityDataset.build(), ...englishRecommendedTransformers });

/** What `obscenityFinder` reads of obscenity's RegExpMatcher (private in its types; without them the plain matcher is used). */
interface MatcherInternals {
  blacklistedTerms: readonly { regExp: RegExp }[];
  blacklistMatcherTransformers: { applyTo(char: number): number | undefined; resetAll(): void };
}

export function hasMatcherInternals(matcher: unknown): matcher is MatcherInternals {
  const internals = matcher as Partial<MatcherInternals>;
  const transformers = internals.blacklistMatcherTransformers;
  return (
    Array.isArray(internals.blacklistedTerms) &&
    internals.blacklistedTerms.every((term) => term.regExp instanceof RegExp) &&
    typeof transformers?.applyTo === "function" &&
    typeof transformers.resetAll === "function"
  );
}

/**
 * The text obscenity's patterns run over: its blacklist transformers applied to each code point, exactly as its own
 * `applyTransformers` does (same order, lone surrogates as themselves, reset after), without the index map and the
 * string built a character at a time, which only the full pass needs.
 */
export function transformedText(transformers: MatcherInternals["blacklistMatcherTransformers"], input: string): string {
  const codes: number[] = [];
  for (let index = 0; index < input.length; ) {
    const code = input.codePointAt(index) ?? 0;
    index += code > 0xffff ? 2 : 1;
    const transformed = transformers.applyTo(code);
    if (transformed !== undefined) codes.push(transformed);
  }
  transformers.resetAll();
  let text = "";
  for (let i = 0; i < codes.length; i += 4096) text += String.fromCodePoint(...codes.slice(i, i + 4096));
  return text;
}

/**
 * obscenity's `getAllMatches` scans the text once per term pattern (~120 of them, each through a fresh `matchAll`
 * iterator): about two thirds of the classifier's time on ordinary text, which matches none. One alternation of
 * all the patterns, run over the same transformed text, answers "does any match?" in one scan; only when one does
 * is the full per-term pass run, so the matches are exactly obscenity's (`obscenity-prefilter.test.ts` compares both).
 */
export function obscenityFinder(matcher: RegExpMatcher): (input: string) => ReturnType<RegExpMatcher["getAllMatches"]> {
  const internals: unknown = matcher;
  if (!hasMatcherInternals(internals)) return (input) => matcher.getAllMatches(input);
  const anyTerm = new RegExp(internals.blacklistedTerms.map((term) => `(?:${term.regExp.source})`).join("|"), "s");
  return (input) => (anyTerm.test(transformedText(internals.blacklistMatcherTransformers, input)) ? matcher.getAllMatches(input) : []);
}

const findObscenity = obscenityFinder(obscenityMatcher);

// ---------------------------------------------------------------------------------------------------------
// Views of the input. Matching runs on views; origin maps every view character back to the input.

interface TextView {
  text: string;
  // origin[i] is the input index of view character i; origin[text.length] is the input's length.
  origin: number[];
}

const isWordCode = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
const isLetterCode = (code: number): boolean => code >= 97 && code <= 122;
const isObscenityWordCode = (code: number): boolean => isWordCode(code) || code === 64 || code === 36;

const isSeparatorCode = (code: number): boolean =>
  code === 32 || code === 9 || code === 10 || code === 13 || code === 95 || code === 45 || code === 42 || code === 126;

function foldNonAscii(ch: string): number {
  if (ch === "\u2019" || ch === "\u2018" || ch === "\u02bc") return 39;
  const base = ch.normalize("NFKD").charAt(0).toLowerCase();
  return base.charCodeAt(0) < 0x80 ? base.charCodeAt(0) : ch.charCodeAt(0);
}

// Builds strings from code arrays in chunks; one spread of a long text would overflow the argument limit.
function codesToString(codes: readonly number[]): string {
  let text = "";
  for (let i = 0; i < codes.length; i += 4096) text += String.fromCharCode(...codes.slice(i, i + 4096));
  return text;
}

// Zero-width characters and soft hyphens are dropped: they are invisible and only ever used to split words.
const isInvisibleCode = (code: number): boolean => (code >= 0x200b && code <= 0x200d) || code === 0xfeff || code === 0xad;

// Lower-cases, folds accents and curly quotes, and caps letter/space runs at two ("fuuuuck" -> "fuuck").
function foldText(source: string): TextView {
  const codes: number[] = [];
  const origin: number[] = [];
  for (let i = 0; i < source.length; i++) {
    let code = source.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32;
    else if (code >= 0x80) {
      if (isInvisibleCode(code)) continue;
      code = foldNonAscii(source.charAt(i));
    }
    const length = codes.length;
    const isRunCode = isLetterCode(code) || code === 32 || code === 10 || code === 9;
    if (isRunCode && length >= 2 && codes[length - 1] === code && codes[length - 2] === code) continue;
    codes.push(code);
    origin.push(i);
  }
  origin.push(source.length);
  return { text: codesToString(codes), origin };
}

// Three or more single characters split by separators ("f u c k", "s.h.i.t") are joined into one word.
const spacedLettersRegex = /(?<![a-z0-9@$])[a-z0-9@$](?:[ ._*-]{1,2}[a-z0-9@$](?![a-z0-9@$])){2,}/g;

function joinSpacedLetters(view: TextView): TextView {
  const codes: number[] = [];
  const origin: number[] = [];
  let cursor = 0;
  const keep = (i: number): void => {
    codes.push(view.text.charCodeAt(i));
    origin.push(view.origin[i] ?? 0);
  };
  spacedLettersRegex.lastIndex = 0;
  for (let match = spacedLettersRegex.exec(view.text); match !== null; match = spacedLettersRegex.exec(view.text)) {
    for (let i = cursor; i < match.index; i++) keep(i);
    for (let i = match.index; i < match.index + match[0].length; i++) if (/[a-z0-9@$]/.test(view.text.charAt(i))) keep(i);
    cursor = match.index + match[0].length;
  }
  if (cursor === 0) return view;
  for (let i = cursor; i < view.text.length; i++) keep(i);
  origin.push(view.origin[view.text.length] ?? 0);
  return { text: codesToString(codes), origin };
}

// Leetspeak digits and symbols by char code (0 = not leetspeak).
const leetLetterCodes = new Uint8Array(128);
for (const [symbol, letter] of Object.entries({
  "4": "a",
  "@": "a",
  "8": "b",
  "3": "e",
  "1": "i",
  "!": "i",
  "|": "i",
  "0": "o",
  "5": "s",
  $: "s",
  "7": "t",
  "+": "t",
})) {
  leetLetterCodes[symbol.charCodeAt(0)] = letter.charCodeAt(0);
}

// Decodes leetspeak only inside words, so "12 year old", "c4" and "die!" keep their meaning.
function decodeLeet(code: number, previous: number, next: number): number {
  const letter = code < 128 ? (leetLetterCodes[code] ?? 0) : 0;
  if (letter === 0) return code;
  const afterLetter = isLetterCode(previous);
  const beforeLetter = isLetterCode(next) || next === 64 || next === 36;
  if (code === 64 || code === 36) return afterLetter || beforeLetter ? letter : code;
  // A word may also end in 0, 1 or 3 ("t0", "m3"); other trailing digits are more often real ("c4", "ak47").
  const endsWord = !isWordCode(next) && (code === 48 || code === 49 || code === 51);
  return afterLetter && (beforeLetter || endsWord) ? letter : code;
}

// The canonical form phrases are matched against (see the comment on phrase compilation).
function canonicalize(view: TextView): TextView {
  const codes: number[] = [];
  const origin: number[] = [];
  const { text } = view;
  for (let i = 0; i < text.length; i++) {
    const raw = text.charCodeAt(i);
    if (raw === 39) continue;
    const last = codes[codes.length - 1] ?? 0;
    const code = isSeparatorCode(raw) ? 32 : decodeLeet(raw, last, text.charCodeAt(i + 1));
    if (code === last && (code === 32 || isLetterCode(code))) continue;
    codes.push(code);
    origin.push(view.origin[i] ?? 0);
  }
  origin.push(view.origin[text.length] ?? 0);
  return { text: codesToString(codes), origin };
}

function hasEveryAnchor(anchors: ReadonlyArray<readonly string[]>, words: ReadonlySet<string>): boolean {
  for (const anchor of anchors) {
    let isPresent = false;
    for (const word of anchor) {
      if (words.has(word)) {
        isPresent = true;
        break;
      }
    }
    if (!isPresent) return false;
  }
  return true;
}

/** Numbers the calls of `findPhrases` (synchronous, never nested), for the anchor checks kept on the phrases. */
let findPhrasesCalls = 0;

// `words` may be a superset of the text's words; it only rules out phrases whose anchors are all missing.
function findPhrases(
  index: PhraseIndex,
  text: string,
  words: ReadonlySet<string>,
  onMatch: (phrase: CompiledPhrase, start: number, end: number) => void,
): void {
  // Whether a phrase's anchors are all in the text is worked out once per phrase and call, and kept on the phrase
  // under this call's number (no map per call: this runs for every candidate phrase of every word of every request).
  const call = ++findPhrasesCalls;
  const tryPhrases = (phrases: readonly CompiledPhrase[] | undefined, start: number): void => {
    if (phrases === undefined) return;
    for (const phrase of phrases) {
      if (phrase.checkedInCall !== call) {
        phrase.checkedInCall = call;
        phrase.isPossible = hasEveryAnchor(phrase.anchors, words);
      }
      if (!phrase.isPossible) continue;
      phrase.regex.lastIndex = start;
      if (phrase.regex.test(text)) onMatch(phrase, start, phrase.regex.lastIndex);
    }
  };
  let start = 0;
  while (start < text.length) {
    if (!isWordCode(text.charCodeAt(start))) {
      start++;
      continue;
    }
    let end = start + 1;
    while (end < text.length && isWordCode(text.charCodeAt(end))) end++;
    tryPhrases(index.byWord.get(text.slice(start, end)), start);
    if (end - start >= 2) tryPhrases(index.byPrefix.get(text.slice(start, start + 2)), start);
    start = end;
  }
}

interface SourceRange {
  start: number;
  end: number;
}

const toSourceRange = (view: TextView, start: number, end: number): SourceRange => ({
  start: view.origin[start] ?? 0,
  end: view.origin[end] ?? 0,
});

// Blanks out the given (ascending) view ranges, keeping the view's length so origins still line up.
function maskView(view: TextView, ranges: readonly SourceRange[]): TextView {
  if (ranges.length === 0) return view;
  const parts: string[] = [];
  let cursor = 0;
  for (const { start, end } of ranges) {
    const from = Math.max(start, cursor);
    if (end <= from) continue;
    parts.push(view.text.slice(cursor, from), " ".repeat(end - from));
    cursor = end;
  }
  parts.push(view.text.slice(cursor));
  return { text: parts.join(""), origin: view.origin };
}

// ---------------------------------------------------------------------------------------------------------
// Analysis

interface MatchedSpan extends SourceRange {
  categories: readonly ModerationCategory[];
}

interface CategoryMatch {
  phrase: CompiledPhrase;
  start: number;
  end: number;
}

interface Analysis {
  scores: Record<ModerationCategory, number>;
  spans: MatchedSpan[];
}

function categoryRecord<T>(valueFor: (category: ModerationCategory) => T): Record<ModerationCategory, T> {
  return {
    harassment: valueFor("harassment"),
    "harassment/threatening": valueFor("harassment/threatening"),
    hate: valueFor("hate"),
    "hate/threatening": valueFor("hate/threatening"),
    illicit: valueFor("illicit"),
    "illicit/violent": valueFor("illicit/violent"),
    "self-harm": valueFor("self-harm"),
    "self-harm/intent": valueFor("self-harm/intent"),
    "self-harm/instructions": valueFor("self-harm/instructions"),
    sexual: valueFor("sexual"),
    "sexual/minors": valueFor("sexual/minors"),
    violence: valueFor("violence"),
    "violence/graphic": valueFor("violence/graphic"),
  };
}

const tierRank: Readonly<Record<TermTier, number>> = { strong: 0, medium: 1, mild: 2 };

// Within a category a phrase inside a stronger (or equal) match is the same evidence ("kill" inside "i will
// kill you"). Sweeping by start keeps this O(m log m): a container always sorts before what it contains.
function dropContainedMatches(matches: readonly CategoryMatch[]): CategoryMatch[] {
  const ordered = [...matches].sort(
    (a, b) => a.start - b.start || b.end - a.end || tierRank[a.phrase.tier] - tierRank[b.phrase.tier],
  );
  const maxEndByRank = [-1, -1, -1];
  const kept: CategoryMatch[] = [];
  for (const match of ordered) {
    const rank = tierRank[match.phrase.tier];
    const isInside = maxEndByRank.some((maxEnd, otherRank) => otherRank <= rank && maxEnd >= match.end);
    if (!isInside) kept.push(match);
    maxEndByRank[rank] = Math.max(maxEndByRank[rank] ?? -1, match.end);
  }
  return kept;
}

/** The analysis of a text with no evidence: shared and frozen, as is the outcome made from it (`cleanOutcome`). */
const cleanAnalysis: Analysis = Object.freeze({ scores: Object.freeze(categoryRecord(() => 0)), spans: Object.freeze([]) as unknown as MatchedSpan[] });

function analyze(source: string): Analysis {
  const folded = joinSpacedLetters(foldText(source));
  const canonical = canonicalize(folded);

  const words = new Set(canonical.text.match(/[a-z0-9]+/g));
  const allowedSpans: SourceRange[] = [];
  findPhrases(allowedIdiomIndex, canonical.text, words, (_phrase, start, end) => allowedSpans.push({ start, end }));
  const matchable = maskView(canonical, allowedSpans);
  const allowedRanges = allowedSpans.map(({ start, end }) => toSourceRange(canonical, start, end));

  const hits = new Map<ModerationCategory, Map<string, TermTier>>();
  const spans: MatchedSpan[] = [];
  const addHit = (category: ModerationCategory, key: string, tier: TermTier): void => {
    const categoryHits = hits.get(category) ?? new Map<string, TermTier>();
    categoryHits.set(key, tier);
    hits.set(category, categoryHits);
  };

  const matchesByCategory = new Map<ModerationCategory, CategoryMatch[]>();
  findPhrases(categoryIndex, matchable.text, words, (phrase, start, end) => {
    if (phrase.category === null) return;
    const matches = matchesByCategory.get(phrase.category) ?? [];
    matches.push({ phrase, start, end });
    matchesByCategory.set(phrase.category, matches);
  });
  for (const [category, matches] of matchesByCategory) {
    for (const { phrase, start, end } of dropContainedMatches(matches)) {
      addHit(category, phrase.key, phrase.tier);
      spans.push({ ...toSourceRange(matchable, start, end), categories: [category] });
    }
  }

  const foldedText = folded.text;
  for (const payload of findObscenity(foldedText)) {
    const word = obscenityDataset.getPayloadWithPhraseMetadata(payload).phraseMetadata?.originalWord;
    if (word === undefined || word === null) continue;
    // Obscenity matches parts of words ("motherfucker"); widen to the whole word so redaction reads well.
    let start = payload.startIndex;
    let end = payload.endIndex + 1;
    const minStart = Math.max(0, start - maxWidening);
    const maxEnd = Math.min(foldedText.length, end + maxWidening);
    while (start > minStart && isObscenityWordCode(foldedText.charCodeAt(start - 1))) start--;
    while (end < maxEnd && isObscenityWordCode(foldedText.charCodeAt(end))) end++;
    const range = toSourceRange(folded, start, end);
    if (allowedRanges.some((allowed) => allowed.start < range.end && range.start < allowed.end)) continue;
    const contributions = obscenityWordCategories[word];
    for (const [category, tier] of contributions) addHit(category, `obscenity:${word}`, tier);
    spans.push({ ...range, categories: contributions.map(([category]) => category) });
  }

  // No evidence at all, the usual case: every score is 0 at every level, the one shared clean analysis.
  if (hits.size === 0) return cleanAnalysis;

  const weights = categoryRecord((category) => {
    let weight = 0;
    let mildWeight = 0;
    for (const tier of hits.get(category)?.values() ?? []) {
      if (tier === "mild") mildWeight += tierWeights.mild;
      else weight += tierWeights[tier];
    }
    return weight + Math.min(mildWeight, maxMildWeight);
  });

  let explicitSexualWeight = 0;
  for (const tier of hits.get("sexual")?.values() ?? []) if (tier !== "mild") explicitSexualWeight += tierWeights[tier];
  if (explicitSexualWeight >= sexualWeightForMinorRule) {
    let hasMinorIndicator = false;
    findPhrases(minorIndicatorIndex, matchable.text, words, () => {
      hasMinorIndicator = true;
    });
    if (hasMinorIndicator) weights["sexual/minors"] += tierWeights.strong;
  }

  const scores = categoryRecord((category) => roundScore(1 - 0.5 ** weights[category]));
  // A subcategory implies its parent (threats are harassment, graphic violence is violence).
  for (const [child, parent] of parentCategories) scores[parent] = Math.max(scores[parent], scores[child]);

  return { scores, spans };
}

function roundScore(score: number): number {
  return Math.round(score * 1e6) / 1e6;
}

function toResult(scores: Record<ModerationCategory, number>, level: ModerationLevel): ModerationResult {
  const threshold = moderationThresholds[level];
  const categories = categoryRecord((category) => scores[category] >= threshold);
  return {
    flagged: moderationCategories.some((category) => categories[category]),
    categories,
    category_scores: { ...scores },
    category_applied_input_types: categoryRecord((): "text"[] => ["text"]),
  };
}

// Scores of 0 flag nothing at any level, so one frozen outcome serves every clean text (most of them): no records
// are built per call. Whoever merges outcomes (windowed.ts) copies them first.
const cleanResult: ModerationResult = Object.freeze({
  flagged: false,
  categories: Object.freeze(categoryRecord(() => false)),
  category_scores: cleanAnalysis.scores,
  category_applied_input_types: Object.freeze(categoryRecord((): "text"[] => Object.freeze(["text"]) as unknown as "text"[])),
});
const cleanOutcome: ModerationOutcome = Object.freeze({ result: cleanResult, flagged: false, flaggedCategories: Object.freeze([]) as unknown as ModerationCategory[] });

function outcomeOf({ scores }: Analysis, level: ModerationLevel): ModerationOutcome {
  if (scores === cleanAnalysis.scores) return cleanOutcome;
  const result = toResult(scores, level);
  return { result, flagged: result.flagged, flaggedCategories: moderationCategories.filter((category) => result.categories[category]) };
}

// ---------------------------------------------------------------------------------------------------------
// Public API

/** Classifies text at the "standard" level, in the shape of one OpenAI moderation result. */
export function classifyText(text: string): ModerationResult {
  return outcomeOf(analyze(text), "standard").result;
}

/** Classifies text at the given level; the result's booleans and `flagged` follow that level's threshold. */
export function moderate(text: string, level: ModerationLevel): ModerationOutcome {
  return outcomeOf(analyze(text), level);
}

/** Replaces every matched span whose category is flagged at the level with "[redacted]". */
export function redactText(text: string, level: ModerationLevel): RedactionOutcome {
  return moderateAndRedact(text, level).redaction;
}

/** `moderate` and `redactText` of the same text from one analysis (the output filter needs both). */
export function moderateAndRedact(text: string, level: ModerationLevel): { outcome: ModerationOutcome; redaction: RedactionOutcome } {
  const analysis = analyze(text);
  const outcome = outcomeOf(analysis, level);
  if (outcome === cleanOutcome) return { outcome, redaction: { text, redacted: 0 } };
  return { outcome, redaction: redactSpans(text, analysis.spans, outcome.result.categories) };
}

function redactSpans(text: string, spans: readonly MatchedSpan[], categories: Record<ModerationCategory, boolean>): RedactionOutcome {
  const flaggedSpans = spans
    .filter((span) => span.end > span.start && span.categories.some((category) => categories[category]))
    .sort((a, b) => a.start - b.start || b.end - a.end);

  // Spans that overlap or are only whitespace apart become one "[redacted]".
  const merged: SourceRange[] = [];
  for (const span of flaggedSpans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && text.slice(last.end, span.start).trim() === "") last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }

  let output = "";
  let cursor = 0;
  for (const span of merged) {
    output += text.slice(cursor, span.start) + redactionMarker;
    cursor = span.end;
  }
  return { text: output + text.slice(cursor), redacted: merged.length };
}
