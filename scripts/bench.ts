// `npm run bench`: the gateway's overhead. Starts a production server on a fresh data directory with the demo data
// and the no-checks baseline route, raises the demo key's limits, then measures /v1/chat/completions (every check,
// usage recorded) against /v1/bench/baseline (the same completion, no checks) with autocannon.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { readLaunchEnv } from "@/lib/env";
import { hashKeySecret } from "@/lib/keys/secret";
import { prepareDatabase } from "@/lib/launch/database";

const require = createRequire(__filename);

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
  "2xx": number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; method: string; headers: Record<string, string>; body: string }) => Promise<AutocannonResult>;
const autocannon = require("autocannon") as Autocannon;

const PORT = Number(process.env.BENCH_PORT ?? 3399);
const CONNECTIONS = 10;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const base = `http://127.0.0.1:${PORT}`;
const body = JSON.stringify({ model: "gatehouse-ngram", messages: [{ role: "user", content: "Tell me about the river in the spring." }], max_tokens: 16, temperature: 0 });

async function waitForHealth(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await fetch(`${base}/api/health`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the server did not become healthy in time");
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-bench-"));
  const server = spawn(process.execPath, [require.resolve("tsx/cli"), "--conditions=react-server", "scripts/start.ts"], {
    env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, GATEHOUSE_SEED_DEMO: "1", GATEHOUSE_BENCH_BASELINE: "1", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let secret: string | undefined;
  server.stdout.on("data", (data: Buffer) => {
    const text = data.toString();
    const match = /demo development key of Demo Labs \(shown once\): (gk_dev_\S+)/.exec(text);
    if (match?.[1]) secret = match[1];
    for (const line of text.split("\n")) if (line.trim() !== "" && !line.includes("gk_dev_")) console.log(`  [server] ${line}`);
  });
  try {
    await waitForHealth(Date.now() + 600_000);
    if (!secret) throw new Error("the server did not print the demo key");

    // Limits high enough that the benchmark measures the checks, not refusals.
    const database = await prepareDatabase(readLaunchEnv({ ...process.env, DATA_DIR: dataDir }));
    process.env.DATABASE_URL = database.url;
    const { getDb, disconnectDb } = await import("@/lib/db");
    const db = getDb();
    const key = await db.apiKey.findUniqueOrThrow({ where: { hash: hashKeySecret(secret) }, select: { grantId: true, grant: { select: { scopes: true } } } });
    const scopes = { ...(key.grant.scopes as Record<string, unknown>), requestsPerMinute: 1_000_000, tokensPerMinute: 100_000_000, monthlyTokenQuota: 10_000_000_000 };
    await db.keyGrant.update({ where: { id: key.grantId }, data: { scopes } });

    const gatewayHeaders = { "content-type": "application/json", authorization: `Bearer ${secret}` };
    const baselineHeaders = { "content-type": "application/json" };
    for (let i = 0; i < 20; i++) {
      const gateway = await fetch(`${base}/v1/chat/completions`, { method: "POST", headers: gatewayHeaders, body });
      const baseline = await fetch(`${base}/v1/bench/baseline`, { method: "POST", headers: baselineHeaders, body });
      if (!gateway.ok || !baseline.ok) throw new Error(`warm-up failed: ${gateway.status} ${await gateway.text()} / ${baseline.status}`);
      if (i === 0) console.log(`reply (temperature 0): ${JSON.stringify(((await gateway.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content)}`);
    }
    // Let the warm-up's records reach the database first (the buffer flushes every second).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const usageBefore = await db.usageRecord.count();

    const run = (url: string, headers: Record<string, string>) => autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, method: "POST", headers, body });
    console.log(`\nbaseline: ${CONNECTIONS} connections, ${DURATION_S} s ...`);
    const baseline = await run(`${base}/v1/bench/baseline`, baselineHeaders);
    console.log(`gateway:  ${CONNECTIONS} connections, ${DURATION_S} s ...`);
    const gateway = await run(`${base}/v1/chat/completions`, gatewayHeaders);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const usageRows = (await db.usageRecord.count()) - usageBefore;
    // The same path with the content filters off: what the other steps cost without the classifier.
    await db.keyGrant.update({ where: { id: key.grantId }, data: { scopes: { ...scopes, inputFilter: "off", outputFilter: "off" } } });
    console.log(`gateway, content filters off: ${CONNECTIONS} connections, ${DURATION_S} s ...`);
    const unfiltered = await run(`${base}/v1/chat/completions`, gatewayHeaders);
    await disconnectDb();
    await database.stop();

    const row = (name: string, result: AutocannonResult) =>
      `${name.padEnd(9)} ${result.requests.average.toFixed(1).padStart(8)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms   2xx ${result["2xx"]}  non-2xx ${result.non2xx}  errors ${result.errors + result.timeouts}`;
    console.log(`\n${row("baseline", baseline)}\n${row("gateway", gateway)}\n${row("no-filter", unfiltered)}`);
    console.log(`throughput ratio (gateway / baseline): ${((gateway.requests.average / baseline.requests.average) * 100).toFixed(1)}%  (target >= 70%)`);
    console.log(`overhead at p50: ${gateway.latency.p50 - baseline.latency.p50} ms (target < 1 ms);  at p99: ${gateway.latency.p99 - baseline.latency.p99} ms (target < 5 ms)`);
    console.log(
      `filters off: throughput ${((unfiltered.requests.average / baseline.requests.average) * 100).toFixed(1)}% of baseline; overhead p50 ${unfiltered.latency.p50 - baseline.latency.p50} ms, p99 ${unfiltered.latency.p99 - baseline.latency.p99} ms`,
    );
    console.log(`usage records written during the gateway run: ${usageRows} (requests answered: ${gateway["2xx"] + gateway.non2xx})`);
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
