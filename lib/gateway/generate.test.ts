import { countTokens } from "gpt-tokenizer";
import { beforeAll, describe, expect, it } from "vitest";
import { getBuiltinModel } from "@/lib/models/ngram";
import { TEST_DATA_DIR } from "@/tests/support/gateway-factories";
import { generateBuiltin, splitPieces } from "./generate";

beforeAll(async () => {
  await getBuiltinModel(TEST_DATA_DIR);
}, 120_000);

const base = { prompt: "The old house on the hill.\n", temperature: 1, topP: 1, stop: [] as string[] };

describe("built-in generation", () => {
  it("never exceeds max_tokens as gpt-tokenizer counts them, and reports length when cut", async () => {
    for (let seed = 0; seed < 30; seed++) {
      for (const maxTokens of [1, 2, 5, 17]) {
        const result = await generateBuiltin(TEST_DATA_DIR, { ...base, maxTokens, seed });
        expect(countTokens(result.text)).toBeLessThanOrEqual(maxTokens);
        expect(result.completionTokens).toBe(countTokens(result.text));
        expect(result.pieces.join("")).toBe(result.text);
        if (result.finishReason === "stop") expect(result.completionTokens).toBeLessThanOrEqual(maxTokens);
      }
    }
    const short = await generateBuiltin(TEST_DATA_DIR, { ...base, maxTokens: 2, seed: 1, prompt: "The" });
    expect(short.finishReason).toBe("length");
  });

  it("is reproducible for a seed and honours stop sequences", async () => {
    const first = await generateBuiltin(TEST_DATA_DIR, { ...base, maxTokens: 40, seed: 9 });
    const again = await generateBuiltin(TEST_DATA_DIR, { ...base, maxTokens: 40, seed: 9 });
    expect(again.text).toBe(first.text);
    const word = first.text.split(" ")[3] ?? "";
    const stopped = await generateBuiltin(TEST_DATA_DIR, { ...base, maxTokens: 40, seed: 9, stop: [word] });
    expect(stopped.text).toBe(first.text.slice(0, first.text.indexOf(word)));
    expect(stopped.finishReason).toBe("stop");
  });

  it("splits text into pieces that join back", () => {
    expect(splitPieces("Hello there, world. ").join("")).toBe("Hello there, world. ");
  });
});
