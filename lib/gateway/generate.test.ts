import { countTokens } from "gpt-tokenizer";
import { beforeAll, describe, expect, it } from "vitest";
import { getBuiltinModel } from "@/lib/models/ngram";
import { BUILTIN_MODEL_ID } from "@/lib/models/registry";
import { collectPieces, TEST_DATA_DIR, testGatewayConfig } from "@/tests/support/gateway-factories";
import { runGeneration, streamGeneration, type GenerationInput } from "./generate";

beforeAll(async () => {
  await getBuiltinModel(TEST_DATA_DIR);
}, 120_000);

const base = { prompt: "The old house on the hill.\n", temperature: 1, topP: 1, stop: [] as string[] };

function generateBuiltin(input: Omit<GenerationInput, "kind" | "model" | "upstreamBody">) {
  return runGeneration(testGatewayConfig(), { ...input, kind: "completion", model: { kind: "builtin", id: BUILTIN_MODEL_ID }, upstreamBody: {} });
}

async function streamBuiltin(input: Omit<GenerationInput, "kind" | "model" | "upstreamBody">) {
  return collectPieces(streamGeneration(testGatewayConfig(), { ...input, kind: "completion", model: { kind: "builtin", id: BUILTIN_MODEL_ID }, upstreamBody: {} }));
}

describe("built-in generation", () => {
  it("never exceeds max_tokens as gpt-tokenizer counts them, and reports length when cut", async () => {
    for (let seed = 0; seed < 30; seed++) {
      for (const maxTokens of [1, 2, 5, 17]) {
        const result = await generateBuiltin({ ...base, maxTokens, seed });
        expect(countTokens(result.text)).toBeLessThanOrEqual(maxTokens);
        expect(result.completionTokens).toBe(countTokens(result.text));
        if (result.finishReason === "stop") expect(result.completionTokens).toBeLessThanOrEqual(maxTokens);
      }
    }
    const short = await generateBuiltin({ ...base, maxTokens: 2, seed: 1, prompt: "The" });
    expect(short.finishReason).toBe("length");
  });

  it("is reproducible for a seed and honours stop sequences", async () => {
    const first = await generateBuiltin({ ...base, maxTokens: 40, seed: 9 });
    const again = await generateBuiltin({ ...base, maxTokens: 40, seed: 9 });
    expect(again.text).toBe(first.text);
    const word = first.text.split(" ")[3] ?? "";
    const stopped = await generateBuiltin({ ...base, maxTokens: 40, seed: 9, stop: [word] });
    expect(stopped.text).toBe(first.text.slice(0, first.text.indexOf(word)));
    expect(stopped.finishReason).toBe("stop");
  });

  it("streams the same text piece by piece as the whole answer, for the same seed", async () => {
    const whole = await generateBuiltin({ ...base, maxTokens: 40, seed: 4 });
    const streamed = await streamBuiltin({ ...base, maxTokens: 40, seed: 4 });
    expect(streamed.pieces.length).toBeGreaterThan(1);
    expect(streamed.pieces.join("")).toBe(whole.text);
    expect(streamed.end).toMatchObject({ finishReason: whole.finishReason, completionTokens: whole.completionTokens });
  });
});
