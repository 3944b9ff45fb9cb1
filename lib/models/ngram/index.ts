// The built-in language model: a small Kneser-Ney n-gram model of the Brown corpus (statistics, not an LLM).
import { access } from "node:fs/promises";
import path from "node:path";
import type { NgramModel } from "./model";
import { buildModelFile, loadModel, ModelFormatError } from "./train";

export { chatPrompt, generate, generateText } from "./generate";
export type { FinishReason, GenerateResult } from "./generate";
export type { NgramModel } from "./model";
export type { ChatMessage, GenerateOptions } from "./schema";
export { buildModelFile, loadModel } from "./train";

export const BUILTIN_MODEL_FILE = "ngram-brown.bin";

/** Where the built-in model lives under a data directory. */
export function builtinModelPath(dataDir: string): string {
  return path.resolve(dataDir, "models", BUILTIN_MODEL_FILE);
}

// Kept on globalThis so dev-server reloads of this module reuse the loaded model.
const globalForNgram = globalThis as unknown as { ngramModels?: Map<string, Promise<NgramModel>> };
const loading = (globalForNgram.ngramModels ??= new Map<string, Promise<NgramModel>>());

async function loadOrBuild(filePath: string): Promise<NgramModel> {
  const exists = await access(filePath).then(
    () => true,
    () => false,
  );
  if (exists) {
    try {
      return await loadModel(filePath);
    } catch (error) {
      // A file from an older format is rebuilt; any other failure is real.
      if (!(error instanceof ModelFormatError)) throw error;
    }
  }
  await buildModelFile(filePath);
  return loadModel(filePath);
}

/** Loads `<dataDir>/models/ngram-brown.bin`, training it first if missing; callers share one load per file. */
export function getBuiltinModel(dataDir: string): Promise<NgramModel> {
  const filePath = builtinModelPath(dataDir);
  let model = loading.get(filePath);
  if (!model) {
    model = loadOrBuild(filePath);
    loading.set(filePath, model);
    // A failed load is forgotten so the next caller retries.
    model.catch(() => loading.delete(filePath));
  }
  return model;
}
