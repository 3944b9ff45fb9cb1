// Builds the built-in model file when it is missing (the launcher calls this before the server starts).
import { access } from "node:fs/promises";
import { builtinModelPath } from "./index";
import { buildModelFile } from "./train";

export async function ensureBuiltinModelFile(dataDir: string): Promise<void> {
  const filePath = builtinModelPath(dataDir);
  const exists = await access(filePath).then(
    () => true,
    () => false,
  );
  if (exists) return;
  const { ms } = await buildModelFile(filePath);
  console.log(`[gatehouse] built-in model trained in ${ms} ms: ${filePath}`);
}
