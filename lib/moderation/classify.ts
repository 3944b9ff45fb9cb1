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

// ---------------------------------------------------------------------------------------------------------
// Phrase compilation (the pattern language is described at the top of terms.ts)

// Disjoint leetspeak classes keep neighbouring letter classes from overlapping, which bounds backtracking.
const letterClasses: Readonly<Record<string, string>> = {
  a: "[a4@]",
  b: "[b8]",
  e: "[e3]",
  i: "[i1!|]",
  o: "[o0]",
  s: "[s5$]",
  t: "[t7+]",
};
const separator = "[\\s_\\-*~]+";
const optionalSeparator = "[\\s_\\-*~]*";
// Gap words skip negations so "i will never hurt you" does not read as "i will ... hurt you".
const gapWord = "(?!(?:not|never|no|don'?t|won'?t|can'?t|wouldn'?t|shouldn'?t)(?![a-z0-9']))[a-z0-9']+";
const gap = `(?:${gapWord}${separator}){0,3}`;
const wordStart = "(?<![a-z0-9])";
// Also refuses a following "'s" so "women's soccer" does not end a phrase at "women".
const wordEnd = "(?![a-z0-9]|'[a-z])";

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

function compilePhrase(phrase: string): string {
  const source = expandMacros(phrase.trim().toLowerCase()).replace(/ +/g, " ").replace(/ ~ /g, "~");
  let out = "";
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source.charAt(i);
    if (ch >= "a" && ch <= "z") {
      while (source.charAt(i + 1) === ch) i++;
      out += `${letterClasses[ch] ?? ch}+`;
    } else if (ch >= "0" && ch <= "9") {
      out += ch;
    } else if (ch === " ") {
      out += separator;
    } else if (ch === "-") {
      out += optionalSeparator;
    } else if (ch === "'") {
      out += "'?";
    } else if (ch === "~") {
      out += separator + gap;
    } else if (ch === "*") {
      out += "[a-z]*";
    } else if (ch === "#") {
      out += "\\d+";
    } else if (ch === "/" || ch === ".") {
      out += `\\${ch}`;
    } else if (ch === "(") {
      depth++;
      out += "(?:";
    } else if (ch === ")") {
      if (--depth < 0) throw new Error(`unbalanced ")" in moderation phrase: ${phrase}`);
      out += ")";
    } else if (ch === "|") {
      out += "|";
    } else if (ch === "?" && source.charAt(i - 1) === ")") {
      out += "?";
    } else {
      throw new Error(`unsupported character ${JSON.stringify(ch)} in moderation phrase: ${phrase}`);
    }
  }
  if (depth !== 0) throw new Error(`unbalanced "(" in moderation phrase: ${phrase}`);
  return out;
}

interface CompiledTerm {
  key: string;
  tier: TermTier;
}

interface CompiledCategory {
  category: ModerationCategory;
  regex: RegExp;
  // terms[n] is the term behind capture group n + 1.
  terms: CompiledTerm[];
}

const tierOrder: readonly TermTier[] = ["strong", "medium", "mild"];

// Strong phrases come first in each alternation so an overlapping weaker phrase never wins the same span.
function compileCategory(category: ModerationCategory): CompiledCategory {
  const groups: string[] = [];
  const terms: CompiledTerm[] = [];
  for (const tier of tierOrder) {
    categoryTerms[category][tier].forEach((phrase, index) => {
      groups.push(`(${compilePhrase(phrase)})`);
      terms.push({ key: `${category}:${tier}:${index}`, tier });
    });
  }
  return { category, regex: new RegExp(`${wordStart}(?:${groups.join("|")})${wordEnd}`, "gi"), terms };
}

function compileAlternation(phrases: readonly string[]): RegExp {
  return new RegExp(`${wordStart}(?:${phrases.map(compilePhrase).join("|")})${wordEnd}`, "gi");
}

const compiledCategories: readonly CompiledCategory[] = moderationCategories.map(compileCategory);
const allowedIdiomRegex = compileAlternation(allowedIdioms);
const minorIndicatorRegex = compileAlternation(minorIndicators);

const obscenityDataset = new DataSet<{ originalWord: EnglishProfaneWord | null }>()
  .addAll(englishDataset)
  .addPhrase((phrase) =>
    obscenityWhitelist.reduce((builder, term) => builder.addWhitelistedTerm(term), phrase.setMetadata({ originalWord: null })),
  );
const obscenityMatcher = new RegExpMatcher({ ...obscenityDataset.build(), ...englishRecommendedTransformers });

// ---------------------------------------------------------------------------------------------------------
// Normalised view of the input: matching runs on the view, spans map back to the original text.

interface TextView {
  text: string;
  // origin[i] is the index in the original text of view character i; origin[text.length] is its length.
  origin: number[];
}

function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
  if (ch === "\u2019" || ch === "\u2018" || ch === "\u02bc") return "'";
  const base = ch.normalize("NFKD").charAt(0);
  return base.charCodeAt(0) < 0x80 ? base.toLowerCase() : ch;
}

const isCollapsible = (ch: string): boolean => (ch >= "a" && ch <= "z") || ch === " " || ch === "\n" || ch === "\t";

// Lower-cases, folds accents and curly quotes, and caps letter/space runs at two ("fuuuuck" -> "fuuck").
function foldText(source: string): TextView {
  let text = "";
  const origin: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const ch = foldChar(source.charAt(i));
    const length = text.length;
    if (isCollapsible(ch) && length >= 2 && text.charAt(length - 1) === ch && text.charAt(length - 2) === ch) continue;
    text += ch;
    origin.push(i);
  }
  origin.push(source.length);
  return { text, origin };
}

// Three or more single characters split by separators ("f u c k", "s.h.i.t") are joined into one word.
const spacedLettersRegex = /(?<![a-z0-9@$])[a-z0-9@$](?:[ ._*-]{1,2}[a-z0-9@$](?![a-z0-9@$])){2,}/g;

function joinSpacedLetters(view: TextView): TextView {
  let text = "";
  const origin: number[] = [];
  let cursor = 0;
  spacedLettersRegex.lastIndex = 0;
  for (let match = spacedLettersRegex.exec(view.text); match !== null; match = spacedLettersRegex.exec(view.text)) {
    for (let i = cursor; i < match.index; i++) {
      text += view.text.charAt(i);
      origin.push(view.origin[i] ?? 0);
    }
    for (let i = match.index; i < match.index + match[0].length; i++) {
      const ch = view.text.charAt(i);
      if (/[a-z0-9@$]/.test(ch)) {
        text += ch;
        origin.push(view.origin[i] ?? 0);
      }
    }
    cursor = match.index + match[0].length;
  }
  if (cursor === 0) return view;
  for (let i = cursor; i < view.text.length; i++) {
    text += view.text.charAt(i);
    origin.push(view.origin[i] ?? 0);
  }
  origin.push(view.origin[view.text.length] ?? 0);
  return { text, origin };
}

// Allowed idioms are blanked out (same length, so origins still line up) before any term is matched.
function maskAllowedIdioms(view: TextView): TextView {
  let text = view.text;
  allowedIdiomRegex.lastIndex = 0;
  for (let match = allowedIdiomRegex.exec(view.text); match !== null; match = allowedIdiomRegex.exec(view.text)) {
    text = text.slice(0, match.index) + " ".repeat(match[0].length) + text.slice(match.index + match[0].length);
  }
  return { text, origin: view.origin };
}

function buildView(source: string): TextView {
  return maskAllowedIdioms(joinSpacedLetters(foldText(source)));
}

// ---------------------------------------------------------------------------------------------------------
// Analysis

interface MatchedSpan {
  start: number;
  end: number;
  categories: readonly ModerationCategory[];
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

const isWordChar = (ch: string): boolean => /[a-z0-9@$]/.test(ch);

function toSourceSpan(view: TextView, start: number, end: number, categories: readonly ModerationCategory[]): MatchedSpan {
  return { start: view.origin[start] ?? 0, end: view.origin[end] ?? 0, categories };
}

function analyze(source: string): Analysis {
  const view = buildView(source);
  const hits = new Map<ModerationCategory, Map<string, TermTier>>();
  const spans: MatchedSpan[] = [];
  const addHit = (category: ModerationCategory, key: string, tier: TermTier): void => {
    const categoryHits = hits.get(category) ?? new Map<string, TermTier>();
    categoryHits.set(key, tier);
    hits.set(category, categoryHits);
  };

  for (const { category, regex, terms } of compiledCategories) {
    regex.lastIndex = 0;
    for (let match = regex.exec(view.text); match !== null; match = regex.exec(view.text)) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const groupIndex = match.findIndex((group, index) => index > 0 && group !== undefined);
      const term = terms[groupIndex - 1];
      if (term === undefined) continue;
      addHit(category, term.key, term.tier);
      spans.push(toSourceSpan(view, match.index, match.index + match[0].length, [category]));
    }
  }

  for (const payload of obscenityMatcher.getAllMatches(view.text)) {
    const word = obscenityDataset.getPayloadWithPhraseMetadata(payload).phraseMetadata?.originalWord;
    if (word === undefined || word === null) continue;
    const contributions = obscenityWordCategories[word];
    for (const [category, tier] of contributions) addHit(category, `obscenity:${word}`, tier);
    // Obscenity matches parts of words ("motherfucker"); widen to the whole word so redaction reads well.
    let start = payload.startIndex;
    let end = payload.endIndex + 1;
    while (start > 0 && isWordChar(view.text.charAt(start - 1))) start--;
    while (end < view.text.length && isWordChar(view.text.charAt(end))) end++;
    spans.push(toSourceSpan(view, start, end, contributions.map(([category]) => category)));
  }

  const weights = categoryRecord(() => 0);
  for (const [category, categoryHits] of hits) {
    let strongWeight = 0;
    let mildWeight = 0;
    for (const tier of categoryHits.values()) {
      if (tier === "mild") mildWeight += tierWeights.mild;
      else strongWeight += tierWeights[tier];
    }
    weights[category] = strongWeight + Math.min(mildWeight, maxMildWeight);
  }

  const sexualHits = hits.get("sexual");
  let explicitSexualWeight = 0;
  for (const tier of sexualHits?.values() ?? []) if (tier !== "mild") explicitSexualWeight += tierWeights[tier];
  minorIndicatorRegex.lastIndex = 0;
  if (explicitSexualWeight >= sexualWeightForMinorRule && minorIndicatorRegex.test(view.text)) {
    weights["sexual/minors"] += tierWeights.strong;
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

// ---------------------------------------------------------------------------------------------------------
// Public API

/** Classifies text at the "standard" level, in the shape of one OpenAI moderation result. */
export function classifyText(text: string): ModerationResult {
  return toResult(analyze(text).scores, "standard");
}

/** Classifies text at the given level; the result's booleans and `flagged` follow that level's threshold. */
export function moderate(text: string, level: ModerationLevel): ModerationOutcome {
  const result = toResult(analyze(text).scores, level);
  const flaggedCategories = moderationCategories.filter((category) => result.categories[category]);
  return { result, flagged: result.flagged, flaggedCategories };
}

/** Replaces every matched span whose category is flagged at the level with "[redacted]". */
export function redactText(text: string, level: ModerationLevel): RedactionOutcome {
  const { scores, spans } = analyze(text);
  const { categories } = toResult(scores, level);
  const flaggedSpans = spans
    .filter((span) => span.end > span.start && span.categories.some((category) => categories[category]))
    .sort((a, b) => a.start - b.start || b.end - a.end);

  const merged: { start: number; end: number }[] = [];
  for (const span of flaggedSpans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start < last.end) last.end = Math.max(last.end, span.end);
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
