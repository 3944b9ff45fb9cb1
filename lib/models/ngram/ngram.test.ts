import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { parseTaggedText } from "./corpus";
import { builtinModelPath, chatPrompt, generate, generateText, getBuiltinModel, loadModel, type GenerateOptions, type NgramModel } from "./index";
import { deserializeModel, serializeModel, trainModel } from "./train";
import { detokenize, tokenizeText } from "./text";

let dataDir: string;
let model: NgramModel;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-ngram-"));
  model = await getBuiltinModel(dataDir);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function run(options: GenerateOptions): { pieces: string[]; text: string; finishReason: string; pieceCount: number } {
  const iterator = generate(model, options);
  const pieces: string[] = [];
  for (;;) {
    const step = iterator.next();
    if (step.done) return { pieces, ...step.value };
    pieces.push(step.value);
  }
}

const base = { prompt: "The jury said", maxTokens: 40, temperature: 1, topP: 0.95, stop: [] } satisfies GenerateOptions;

describe("corpus and text handling", () => {
  it("strips tags and turns corpus quote tokens into quotes", () => {
    const [sentence] = parseTaggedText("\n\n\t``/`` Only/rb a/at handful/nn ''/'' ,/, the/at jury/nn-tl said/vbd 1-1/2/cd ./.\n");
    expect(sentence).toEqual(["\u201c", "Only", "a", "handful", "\u201d", ",", "the", "jury", "said", "1-1/2", "."]);
    expect(detokenize(sentence ?? [])).toBe('"Only a handful", the jury said 1-1/2.');
  });

  it("tokenizes a prompt into corpus-style tokens", () => {
    const known = new Set(["Mr.", "workers'"]);
    const keepWhole = (whole: string) => known.has(whole);
    expect(tokenizeText('Mr. Smith said, "the workers\' union--it works."', keepWhole)).toEqual([
      "Mr.", "Smith", "said", ",", "\u201c", "the", "workers'", "union", "--", "it", "works", ".", "\u201d",
    ]);
  });
});

describe("built-in model file", () => {
  it("is built once into the data directory and shared by concurrent callers", async () => {
    const [first, second] = await Promise.all([getBuiltinModel(dataDir), getBuiltinModel(dataDir)]);
    expect(first).toBe(model);
    expect(second).toBe(model);
    const files = await readdir(path.join(dataDir, "models"));
    expect(files).toEqual([path.basename(builtinModelPath(dataDir))]);
  });

  it("holds the full Brown corpus", () => {
    expect(model.meta.files).toBe(500);
    expect(model.meta.sentences).toBeGreaterThan(50_000);
    expect(model.vocab.length).toBeGreaterThan(20_000);
    expect(model.levels.map((level) => level.order)).toEqual([2, 3, 4]);
    expect(model.vocab).not.toContain("Af");
  });

  it("round-trips through the file with identical generation", async () => {
    const loaded = await loadModel(builtinModelPath(dataDir));
    const reloaded = await deserializeModel(await serializeModel(loaded));
    expect(loaded).not.toBe(model);
    for (const seed of [1, 2, 3]) {
      const expected = generateText(model, { ...base, seed }).text;
      expect(generateText(loaded, { ...base, seed }).text).toBe(expected);
      expect(generateText(reloaded, { ...base, seed }).text).toBe(expected);
    }
  });

  it("trains on a subset of the corpus when asked", async () => {
    const small = await trainModel({ limitFiles: 5, order: 3 });
    expect(small.meta.files).toBe(5);
    expect(small.levels.map((level) => level.order)).toEqual([2, 3]);
    expect(small.vocab.length).toBeLessThan(model.vocab.length);
    expect(generateText(small, { ...base, seed: 1 }).text.trim()).not.toBe("");
  });
});

describe("generate", () => {
  it("gives the same text for the same seed", () => {
    for (const seed of [7, 42, 123456789012]) {
      expect(generateText(model, { ...base, seed }).text).toBe(generateText(model, { ...base, seed }).text);
    }
  });

  it("gives different texts for different seeds", () => {
    const texts = new Set([1, 2, 3, 4, 5, 6].map((seed) => generateText(model, { ...base, seed }).text));
    expect(texts.size).toBeGreaterThanOrEqual(4);
  });

  it("is deterministic at temperature 0 without a seed", () => {
    const options = { ...base, temperature: 0 };
    expect(generateText(model, options).text).toBe(generateText(model, options).text);
  });

  it("keeps only the likeliest word when top_p is tiny, like greedy decoding", () => {
    for (const prompt of ["The jury said", "In the morning", ""]) {
      const greedy = generateText(model, { ...base, prompt, temperature: 0 }).text;
      expect(generateText(model, { ...base, prompt, topP: 1e-9, seed: 99 }).text).toBe(greedy);
      expect(generateText(model, { ...base, prompt, topP: 0, seed: 7 }).text).toBe(greedy);
    }
  });

  it("streams pieces that concatenate to the whole text", () => {
    for (const seed of [1, 2, 3]) {
      const streamed = run({ ...base, seed });
      expect(streamed.pieces.join("")).toBe(streamed.text);
      expect(streamed.text).toBe(generateText(model, { ...base, seed }).text);
      const withStops = run({ ...base, seed, stop: ["zzz", "q"] });
      expect(withStops.pieces.join("")).toBe(withStops.text);
    }
  });

  it("ends with stop after the first sentence it completes", () => {
    const result = generateText(model, { ...base, temperature: 0, maxTokens: 200 });
    expect(result.finishReason).toBe("stop");
    expect(result.text).toMatch(/^ \w.*[.?!]["')]*$/);
  });

  it("respects maxTokens and reports length", () => {
    const full = generateText(model, { ...base, temperature: 0, maxTokens: 200 });
    expect(full.pieceCount).toBeGreaterThan(5);
    const cut = run({ ...base, temperature: 0, maxTokens: 5 });
    expect(cut.finishReason).toBe("length");
    expect(cut.pieceCount).toBe(5);
    expect(cut.pieces).toHaveLength(5);
    expect(full.text.startsWith(cut.text)).toBe(true);
    for (const maxTokens of [0, 1, 3, 8]) {
      for (const seed of [1, 2, 3, 4]) {
        const result = run({ ...base, seed, maxTokens, temperature: 1.5, topP: 1 });
        expect(result.pieceCount).toBeLessThanOrEqual(maxTokens);
        expect(result.pieces.length).toBeLessThanOrEqual(maxTokens);
        if (result.finishReason === "length") expect(result.pieceCount).toBe(maxTokens);
      }
    }
    expect(generateText(model, { ...base, maxTokens: 0 })).toEqual({ text: "", finishReason: "length", pieceCount: 0 });
  });

  it("truncates before a stop sequence, also one spanning several pieces", () => {
    const greedy = run({ ...base, temperature: 0, maxTokens: 200 });
    const [, , , second, third] = greedy.pieces;
    expect(third).toBeDefined();
    // From inside the fourth piece to inside the fifth, so the stop spans a piece boundary.
    const spanning = `${second?.slice(2) ?? ""}${third?.slice(0, 2) ?? ""}`;
    const single = greedy.pieces[2]?.trim() ?? "";
    for (const stop of [spanning, single]) {
      const at = greedy.text.indexOf(stop);
      expect(at).toBeGreaterThan(0);
      const result = run({ ...base, temperature: 0, maxTokens: 200, stop: ["never-in-output", stop] });
      expect(result.finishReason).toBe("stop");
      expect(result.text).toBe(greedy.text.slice(0, at));
      expect(result.pieces.join("")).toBe(result.text);
      expect(result.text).not.toContain(stop);
    }
  });

  it("writes mostly words from the corpus vocabulary", () => {
    const vocabulary = new Set(model.vocab.map((word) => word.toLowerCase()));
    const words: string[] = [];
    for (let seed = 0; seed < 10; seed++) {
      const { text } = generateText(model, { ...base, seed, maxTokens: 60 });
      words.push(...text.split(/\s+/).map((word) => word.replace(/^["'(]+|[.,;:?!"')]+$/g, "")).filter((word) => /[a-z]/i.test(word)));
    }
    expect(words.length).toBeGreaterThan(50);
    const known = words.filter((word) => vocabulary.has(word.toLowerCase()));
    expect(known.length / words.length).toBeGreaterThan(0.95);
    expect(words.map((word) => word.toLowerCase())).toContain("the");
  });

  it("still writes English after a prompt of unknown words", () => {
    for (const seed of [1, 2, 3]) {
      const { text } = generateText(model, { ...base, prompt: "Zorblax quiffle vreemth", seed });
      const known = text.split(/\W+/).filter((word) => word !== "" && model.ids.has(word));
      expect(known.length).toBeGreaterThan(0);
    }
  });

  it("conditions on the prompt", () => {
    const greedyAfter = (prompt: string) => generateText(model, { ...base, prompt, temperature: 0, maxTokens: 3 }).text;
    expect(greedyAfter("The President of the United")).toMatch(/^ States/);
    expect(greedyAfter("He said, \"I don't")).toMatch(/^ know/);
  });

  it("rejects options outside the documented ranges", () => {
    expect(() => generateText(model, { ...base, temperature: 2.5 })).toThrow(ZodError);
    expect(() => generateText(model, { ...base, topP: -0.1 })).toThrow(ZodError);
    expect(() => generateText(model, { ...base, topP: 1.01 })).toThrow(ZodError);
    expect(() => generateText(model, { ...base, stop: ["a", "b", "c", "d", "e"] })).toThrow(ZodError);
  });
});

describe("chatPrompt", () => {
  it("continues from the last user message with a new sentence", () => {
    const prompt = chatPrompt([
      { role: "system", content: "You are terse." },
      { role: "user", content: "Tell me about the old church" },
      { role: "assistant", content: "It is old." },
      { role: "user", content: "What about the church music" },
    ]);
    expect(prompt).toBe("What about the church music.\n");
    const reply = generateText(model, { ...base, prompt, temperature: 0 }).text;
    expect(reply).toMatch(/^["']?[A-Z]/);
    expect(chatPrompt([{ role: "system", content: "Hi" }])).toBe("");
  });
});
