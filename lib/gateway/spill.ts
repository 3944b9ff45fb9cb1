// Records the database cannot take now are kept on disk in DATA_DIR/usage-spill (JSON lines) and stored on the next
// start (lib/gateway/shutdown.ts): at shutdown when the database is away, and for a row it keeps refusing.
import "server-only";
import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RecordRow } from "./usage";

export const SPILL_DIR = "usage-spill";

export async function spillRecords(dataDir: string, rows: RecordRow[]): Promise<void> {
  const dir = path.join(dataDir, SPILL_DIR);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${Date.now()}-${process.pid}-${randomUUID()}.jsonl`);
  await writeFile(`${file}.tmp`, rows.map((row) => JSON.stringify(row)).join("\n") + "\n", { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  console.error(`[gateway] ${rows.length} usage records kept in ${file}; they are stored on the next start`);
}

