// The frame of a bench script: a migrated scratch database on an embedded PostgreSQL, DATABASE_URL pointing at it
// while `work` runs (it is also given the URL), everything removed afterwards, and a failure printed with exit code 1.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDatabase, startEmbeddedPostgres, withDatabase } from "@/lib/database/embedded";
import { migrateDatabase } from "@/lib/database/migrate";

export function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function runBench(label: string, work: (url: string) => Promise<void>): void {
  const run = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `gatehouse-bench-${label}-`));
    const server = await startEmbeddedPostgres(dir);
    try {
      await createDatabase(server.adminUrl, "bench");
      const url = withDatabase(server.adminUrl, "bench");
      await migrateDatabase(url);
      process.env.DATABASE_URL = url;
      await work(url);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  };
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
