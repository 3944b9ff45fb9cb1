// `npx tsx --conditions=react-server scripts/usage-export-bench.ts [rows]`: measures the usage CSV export of a large
// table (default 1,000,000 rows, inserted with generate_series) on a scratch embedded PostgreSQL: wall time, rows and
// bytes streamed, and the process's peak RSS (sampled every 20 ms), to show the export runs in constant memory.
// Not part of the test suite (it takes about a minute). Uses its own temporary cluster, removed afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createDatabase, startEmbeddedPostgres } from "@/lib/database/embedded";
import { migrateDatabase } from "@/lib/database/migrate";

const ROWS = Number(process.argv[2] ?? 1_000_000);

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-export-bench-"));
  const cluster = await startEmbeddedPostgres(dir);
  try {
    await createDatabase(cluster.adminUrl, "bench");
    const url = cluster.urlFor("bench");
    await migrateDatabase(url);
    process.env.DATABASE_URL = url;

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const seedStart = performance.now();
    await client.query(`INSERT INTO "User" ("id", "email", "name", "role", "status", "passwordHash", "updatedAt") VALUES ('bench_admin', 'bench@example.com', 'Bench', 'ADMIN', 'ACTIVE', 'x', now())`);
    await client.query(`INSERT INTO "Organization" ("id", "name", "updatedAt") VALUES ('bench_org', 'Bench, "Org"', now())`);
    await client.query(`INSERT INTO "KeyGrant" ("id", "organizationId", "kind", "scopes") VALUES ('bench_grant', 'bench_org', 'DEVELOPMENT', '{}')`);
    await client.query(`INSERT INTO "ApiKey" ("id", "grantId", "organizationId", "name", "kind", "prefix", "hash") VALUES ('bench_key', 'bench_grant', 'bench_org', '=bench key', 'DEVELOPMENT', 'gk_dev_Bnch', 'h')`);
    await client.query(
      `INSERT INTO "UsageRecord" ("id", "requestId", "apiKeyId", "organizationId", "endUserId", "endpoint", "model", "promptTokens", "completionTokens", "totalTokens", "latencyMs", "status", "errorCode", "createdAt")
       SELECT 'u' || n, 'req_' || n, 'bench_key', 'bench_org', CASE WHEN n % 3 = 0 THEN 'user-' || (n % 100) END, 'chat.completions', 'gatehouse-ngram',
              n % 50, n % 30, n % 50 + n % 30, n % 900, CASE WHEN n % 20 = 0 THEN 429 ELSE 200 END, CASE WHEN n % 20 = 0 THEN 'rate_limit_exceeded' END,
              now() - (n || ' seconds')::interval / 40
       FROM generate_series(1, $1::int) AS n`,
      [ROWS],
    );
    await client.query(`ANALYZE "UsageRecord"`);
    await client.end();
    console.log(`seeded ${ROWS.toLocaleString("en-US")} rows in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const { exportUsageCsv } = await import("@/lib/usage/export");
    const { disconnectDb } = await import("@/lib/db");
    const actor = { id: "bench_admin", email: "bench@example.com", name: "Bench", role: "ADMIN" as const, status: "ACTIVE" as const };
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const start = performance.now();
    const { stream } = await exportUsageCsv({ actor, as: "admin", input: { range: "90d" } });
    let bytes = 0;
    let lines = 0;
    let firstByteMs = 0;
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const chunk = next.value;
      if (bytes === 0) firstByteMs = performance.now() - start;
      bytes += chunk.byteLength;
      for (const byte of chunk) if (byte === 10) lines++;
    }
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (value: number) => (value / 1024 / 1024).toFixed(0);
    console.log(
      `exported ${(lines - 1).toLocaleString("en-US")} rows (${mb(bytes)} MB of CSV) in ${seconds.toFixed(1)} s ` +
        `(${Math.round((lines - 1) / seconds).toLocaleString("en-US")} rows/s, first byte after ${firstByteMs.toFixed(0)} ms); ` +
        `RSS before ${mb(baseline)} MB, peak ${mb(peak)} MB`,
    );
    if (lines - 1 !== ROWS) throw new Error(`expected ${ROWS} rows, got ${lines - 1}`);
    await disconnectDb();
  } finally {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
