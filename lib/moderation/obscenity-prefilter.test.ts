// The classifier's one-scan pre-check in front of obscenity's matcher must find exactly what the matcher finds.
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from "obscenity";
import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/models/ngram/generate";
import { hasMatcherInternals, obscenityFinder, transformedText } from "./classify";

const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const find = obscenityFinder(matcher);

const words = [
  "fuck", "f u c k", "fuuuuuck", "FuCk", "phuck", "sh1t", "shiiit", "a$$hole", "@sshole", "b!tch", "bitch", "cunt", "c*nt",
  "motherfucker", "dick", "d1ck", "dickens", "cock", "cocktail", "peacock", "assassin", "bass", "class", "Scunthorpe",
  "pussy", "pussycat", "whore", "slut", "nigger", "n1gga", "fag", "faggot", "twat", "wank", "bastard", "tit", "title",
  "hello", "the", "report", "quarterly", "kill", "cum", "cucumber", "anal", "analysis", "penis", "penistone", "🙂", "é",
  "\u{1F4A9}", "dildo", "jizz", "boob", "boobs", "retard", "spic", "kike", "chink", "coon", "raccoon", "xxx", "-", ".", "1",
  // Lone surrogates (either half, either order) and confusable letters the transformers resolve.
  "\uD83D", "\uDCA9", "\uDCA9\uD83D", "𝐟𝐮𝐜𝐤", "ƒuck", "ｆｕｃｋ",
];

describe("obscenityFinder", () => {
  it("uses the one-scan pre-check with this version of obscenity (the matcher has the fields it reads)", () => {
    expect(hasMatcherInternals(matcher)).toBe(true);
  });

  it("runs the patterns over exactly the text obscenity's own transform gives", () => {
    const internals: unknown = matcher;
    if (!hasMatcherInternals(internals)) throw new Error("the matcher lacks the fields the pre-check reads");
    const { blacklistMatcherTransformers: transformers } = internals;
    const ownTransform = (text: string) => (matcher as unknown as { applyTransformers(input: string, set: unknown): [number[], string] }).applyTransformers(text, transformers)[1];
    for (const word of words) {
      for (const text of [word, `Well, ${word} is what the ${word}s said.`, `${word}${word}`, word.repeat(3_000)]) {
        expect(transformedText(transformers, text), text).toBe(ownTransform(text));
      }
    }
  });

  it("finds exactly obscenity's matches on every listed word, alone and in a sentence", () => {
    for (const word of words) {
      for (const text of [word, `Well, ${word} is what the ${word}s said.`, `${word}${word}`]) expect(find(text), text).toEqual(matcher.getAllMatches(text));
    }
  });

  it("finds exactly obscenity's matches on 5,000 random texts of words, leetspeak and symbols", () => {
    // Seeded, so a failure is reproducible.
    const next = createRandom(20261201);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
    const noise = "abcdefghijklmnopqrstuvwxyz0123456789 @$!*._-|1347";
    let found = 0;
    for (let i = 0; i < 5_000; i++) {
      const parts: string[] = [];
      const count = 1 + Math.floor(next() * 12);
      for (let j = 0; j < count; j++) {
        parts.push(next() < 0.7 ? pick(words) : Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick([...noise])).join(""));
      }
      const text = parts.join(next() < 0.5 ? " " : "");
      const expected = matcher.getAllMatches(text);
      if (expected.length > 0) found++;
      expect(find(text), text).toEqual(expected);
    }
    // Both kinds of text were compared: some with matches, some without.
    expect(found).toBeGreaterThan(500);
    expect(found).toBeLessThan(5_000);
  });
});
