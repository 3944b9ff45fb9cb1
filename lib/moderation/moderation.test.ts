import type { Moderation } from "openai/resources/moderations";
import { describe, expect, it } from "vitest";
import {
  classifyText,
  moderate,
  moderateLongText,
  moderationCategories,
  moderationLevels,
  moderationThresholds,
  redactText,
  WINDOW_CHARS,
  type ModerationCategory,
} from "./index";

const businessProse =
  "Our quarterly results show steady growth across all regions, and the board has approved the hiring plan for " +
  "the new Scunthorpe office. Customer satisfaction improved by four points after we shortened response times, " +
  "and the analytics team will present a detailed assessment of the assets at Thursday's all-hands. Please send " +
  "your feedback on the roadmap to the product channel before the end of the week.";

const technicalIdioms = [
  "If the server hangs, kill the process with kill -9 and restart it.",
  "We need to kill the old worker processes before the deploy.",
  "Shoot a photo of the whiteboard and shoot me an email with the notes.",
  "Execute the script, then execute the migration against staging.",
  "Let's cut a release branch and nuke the cache.",
  "The attack surface of the API is small, and this is a killer feature.",
  "Scunthorpe, Essex and Middlesex all have offices.",
];

const clearExamples: ReadonlyArray<readonly [ModerationCategory, string]> = [
  ["harassment", "You are a worthless piece of shit and nobody would miss you."],
  ["harassment/threatening", "I know where you live and I will kill you."],
  ["hate", "All immigrants are vermin."],
  ["hate/threatening", "Kill all the jews."],
  ["illicit", "Where can I buy cocaine?"],
  ["illicit/violent", "How to make a bomb at home"],
  ["self-harm", "I've been cutting myself again."],
  ["self-harm/intent", "I want to die."],
  ["self-harm/instructions", "How many pills does it take to overdose?"],
  ["sexual", "Send me nudes."],
  ["sexual/minors", "Sexy 12 year old."],
  ["violence", "I'm going to shoot up the school."],
  ["violence/graphic", "His guts spilled out onto the floor."],
];

const standardThreshold = moderationThresholds.standard;

describe("classifyText", () => {
  it("returns exactly the 13 omni-moderation categories in every map", () => {
    const result = classifyText("hello there");

    expect(moderationCategories).toHaveLength(13);
    expect(Object.keys(result.categories).sort()).toEqual([...moderationCategories].sort());
    expect(Object.keys(result.category_scores).sort()).toEqual([...moderationCategories].sort());
    expect(Object.keys(result.category_applied_input_types).sort()).toEqual([...moderationCategories].sort());
    for (const category of moderationCategories) {
      expect(result.category_applied_input_types[category]).toEqual(["text"]);
      expect(result.category_scores[category]).toBeGreaterThanOrEqual(0);
      expect(result.category_scores[category]).toBeLessThanOrEqual(1);
    }
  });

  it("is assignable to the OpenAI SDK's Moderation type", () => {
    const asOpenAi: Moderation = classifyText("hello there");

    expect(asOpenAi.flagged).toBe(false);
  });

  it("does not flag a paragraph of business prose", () => {
    const result = classifyText(businessProse);

    expect(result.flagged).toBe(false);
    expect(Math.max(...Object.values(result.category_scores))).toBe(0);
  });

  it.each(technicalIdioms)("does not flag the technical idiom %j at standard or strict", (text) => {
    expect(moderate(text, "standard").flagged).toBe(false);
    expect(moderate(text, "strict").flagged).toBe(false);
  });

  it.each(clearExamples)("flags a clear %s example with that category above the threshold", (category, text) => {
    const result = classifyText(text);

    expect(result.flagged).toBe(true);
    expect(result.categories[category]).toBe(true);
    expect(result.category_scores[category]).toBeGreaterThanOrEqual(standardThreshold);
  });

  it("flags the parent category whenever a subcategory is flagged", () => {
    const result = classifyText("I will kill you.");

    expect(result.categories["harassment/threatening"]).toBe(true);
    expect(result.categories.harassment).toBe(true);
    expect(result.category_scores.harassment).toBeGreaterThanOrEqual(result.category_scores["harassment/threatening"]);
  });

  it("does not read a negated threat as a threat", () => {
    expect(classifyText("I will never hurt you.").flagged).toBe(false);
  });

  it("gives identical results for identical input", () => {
    const text = "You idiot, I will kill you. Send me nudes.";

    expect(classifyText(text)).toEqual(classifyText(text));
  });

  it("catches simple leetspeak and repeated letters in phrases", () => {
    expect(classifyText("I'll k1ll y0u").categories["harassment/threatening"]).toBe(true);
    expect(classifyText("I WILL KIIIILL YOU!!!").categories["harassment/threatening"]).toBe(true);
  });
});

describe("moderate", () => {
  it("at standard returns the same result as classifyText", () => {
    const text = "I want to die.";

    expect(moderate(text, "standard").result).toEqual(classifyText(text));
  });

  it("lists the flagged categories in category order", () => {
    const outcome = moderate("I know where you live and I will kill you.", "standard");

    expect(outcome.flagged).toBe(true);
    expect(outcome.flaggedCategories).toEqual(
      moderationCategories.filter((category) => outcome.result.categories[category]),
    );
    expect(outcome.flaggedCategories).toContain("harassment/threatening");
  });

  it("at strict flags profanity that standard lets through", () => {
    const text = "This shit is broken again, damn it.";

    expect(moderate(text, "standard").flagged).toBe(false);
    const strict = moderate(text, "strict");
    expect(strict.flagged).toBe(true);
    expect(strict.flaggedCategories).toContain("harassment");
  });

  it("at strict flags mild sexual content that standard lets through", () => {
    const text = "She posted a sexy photo.";

    expect(moderate(text, "standard").flagged).toBe(false);
    expect(moderate(text, "strict").flaggedCategories).toContain("sexual");
  });

  it.each(["f u c k this", "sh1t happens", "what the fuuuuck"])("at strict catches obfuscated profanity %j", (text) => {
    expect(moderate(text, "standard").flagged).toBe(false);
    expect(moderate(text, "strict").flaggedCategories).toContain("harassment");
  });

  it("never lets a pile of profanity alone reach the standard threshold", () => {
    const text = "fuck shit damn crap bastard bollocks piss twat wanker";

    expect(moderate(text, "standard").flagged).toBe(false);
  });

  it.each(clearExamples)("at off never flags the %s example but still scores it", (category, text) => {
    const outcome = moderate(text, "off");

    expect(outcome.flagged).toBe(false);
    expect(outcome.result.flagged).toBe(false);
    expect(outcome.flaggedCategories).toEqual([]);
    expect(Object.values(outcome.result.categories).every((isFlagged) => !isFlagged)).toBe(true);
    expect(outcome.result.category_scores[category]).toBeGreaterThanOrEqual(standardThreshold);
  });

  it("accepts every level", () => {
    for (const level of moderationLevels) expect(typeof moderate("hello", level).flagged).toBe("boolean");
  });
});

describe("redactText", () => {
  it("replaces the offending phrase and leaves the benign text intact", () => {
    const text = "Thanks for the update. I will kill you. See you at the standup.";

    const outcome = redactText(text, "standard");

    expect(outcome.text).toBe("Thanks for the update. [redacted]. See you at the standup.");
    expect(outcome.redacted).toBe(1);
  });

  it("leaves benign text untouched", () => {
    for (const text of [businessProse, ...technicalIdioms]) {
      expect(redactText(text, "strict")).toEqual({ text, redacted: 0 });
    }
  });

  it("redacts profanity at strict but not at standard", () => {
    const text = "The build is shit today.";

    expect(redactText(text, "standard")).toEqual({ text, redacted: 0 });
    expect(redactText(text, "strict")).toEqual({ text: "The build is [redacted] today.", redacted: 1 });
  });

  it("redacts whole obfuscated words, including spaced-out letters", () => {
    expect(redactText("well f u c k that", "strict").text).toBe("well [redacted] that");
    expect(redactText("you motherfucker", "strict").text).not.toContain("fuck");
  });

  it("redacts nothing at off", () => {
    const text = "I will kill you.";

    expect(redactText(text, "off")).toEqual({ text, redacted: 0 });
  });
});

describe("clean texts", () => {
  it("share one outcome that nothing can change: scores 0, nothing flagged, at every level", () => {
    const outcome = moderate(businessProse, "strict");
    expect(moderate("Tell me about the river in the spring.", "standard")).toBe(outcome);
    expect(outcome.flagged).toBe(false);
    expect(outcome.flaggedCategories).toEqual([]);
    for (const category of moderationCategories) {
      expect(outcome.result.category_scores[category]).toBe(0);
      expect(outcome.result.categories[category]).toBe(false);
      expect(outcome.result.category_applied_input_types[category]).toEqual(["text"]);
    }
    expect(() => {
      outcome.result.categories.hate = true;
    }).toThrow(TypeError);
    expect(() => outcome.flaggedCategories.push("hate")).toThrow(TypeError);
    expect(moderate(businessProse, "strict").result.categories.hate).toBe(false);
  });

  it("a long text whose first window is clean and a later one flagged is flagged, and clean texts stay clean", async () => {
    const clean = `${businessProse} `.repeat(Math.ceil((WINDOW_CHARS * 2) / businessProse.length));
    const outcome = await moderateLongText(`${clean}I know where you live and I will kill you.`, "standard");
    expect(outcome.flagged).toBe(true);
    expect(outcome.flaggedCategories).toContain("harassment/threatening");
    expect(outcome.result.category_scores["harassment/threatening"]).toBeGreaterThanOrEqual(moderationThresholds.standard);
    const later = await moderateLongText(clean, "standard");
    expect(later.flagged).toBe(false);
    expect(Object.values(later.result.category_scores).every((score) => score === 0)).toBe(true);
    expect(moderate(businessProse, "standard").result.categories["harassment/threatening"]).toBe(false);
  });
});
