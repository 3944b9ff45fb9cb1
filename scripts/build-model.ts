// Builds the built-in n-gram model file: npx tsx scripts/build-model.ts [outPath]
import path from "node:path";
import { BUILTIN_MODEL_FILE } from "../lib/models/ngram";
import { buildModelFile } from "../lib/models/ngram/train";

async function main(): Promise<void> {
  // A CLI run outside the app, so it reads DATA_DIR itself instead of going through lib/env.ts.
  const dataDir = process.env.DATA_DIR ?? "./data";
  const outPath = path.resolve(process.argv[2] ?? path.join(dataDir, "models", BUILTIN_MODEL_FILE));
  const { bytes, ms } = await buildModelFile(outPath);
  console.log(`Wrote ${outPath}: ${bytes} bytes (${(bytes / 1024 / 1024).toFixed(2)} MiB) in ${ms} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
