// `npm run bench`: the gateway's cost, against the no-checks baseline measured in the same run (issue 9, "Performance").
// Starts a production server (`npm start`, which builds when sources changed) on a fresh data directory with the demo
// data, the baseline route (GATEHOUSE_BENCH_BASELINE=1) and a fake OpenAI-compatible upstream on loopback in a process of
// its own (scripts/bench-upstream.ts); gives the demo key high limits, a topic its prompt mentions and the upstream models
// (every check stays on: key, scopes, limits, topic, input and output moderation, usage records). Then measures:
//   1. overhead at 1 connection: p50/p99 of /v1/chat/completions minus /v1/bench/baseline, sequential keep-alive
//      requests timed with performance.now(), alternating blocks of each so drift cancels;
//   2. throughput at 10 connections (autocannon), gateway as a share of the baseline, runs alternated;
//   3. streaming: the built-in model's first content chunk, and an upstream's first content chunk through the
//      gateway against the same upstream called directly (and against a copy of it inside this process);
//   4-5. in process (scripts/bench-steps.ts): the cost of each step of one request (and of the usage records' batch
//      write, on the bench's database), and the built-in model's tokens/s.
// Loopback only. BENCH_PORT, BENCH_DURATION (s per throughput run), BENCH_ROUNDS (throughput runs per side),
// BENCH_REQUESTS (per side at 1 connection).
import { fork, spawn, spawnSync } from "node:child_process";
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { readLaunchEnv } from "@/lib/env";
import { parseStoredScopes, type KeyScopes } from "@/lib/keys/scopes";
import { hashKeySecret } from "@/lib/keys/secret";
import { prepareDatabase } from "@/lib/launch/database";
import { monotonicMs, startUpstream, UPSTREAM_CHUNK_MS, WORDS, type UpstreamTimes } from "./bench-upstream";
import { BENCH_BODY, BENCH_LIMITS, BENCH_REQUEST, BENCH_TOPICS, UPSTREAM_SENTENCES_MODEL, UPSTREAM_WORDS_MODEL } from "./bench-request";

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
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const BLOCK = 100;
const STREAMS = 200;
const UPSTREAM_STREAMS = 100;
const UPSTREAM_BLOCK = 10;
const IDLE_SAMPLES = 50;
const IDLE_GAP_MS = 100;
const base = `http://127.0.0.1:${PORT}`;
const streamBody = (model: string) => JSON.stringify({ ...BENCH_REQUEST, model, max_tokens: 64, stream: true });

const TARGETS = { overheadP50Ms: 1, overheadP99Ms: 5, throughputPercent: 70, builtinFirstChunkMs: 20, upstreamFirstChunkExtraMs: 5 };
const verdict = (isMet: boolean) => (isMet ? "PASS" : "MISS");

// ---- the fake upstream: in a process of its own, and in this one -----------------------------------------------------

/** A stream's upstream times, taken in the order the streams end. */
interface UpstreamFeed {
  url: string;
  next(): Promise<UpstreamTimes>;
  stop(): void;
}

function timesQueue(): { push(times: UpstreamTimes): void; next(): Promise<UpstreamTimes> } {
  const ready: UpstreamTimes[] = [];
  const waiting: ((times: UpstreamTimes) => void)[] = [];
  return {
    push: (times) => {
      const waiter = waiting.shift();
      if (waiter) waiter(times);
      else ready.push(times);
    },
    next: () => {
      const times = ready.shift();
      return times ? Promise.resolve(times) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** The upstream forked into its own process, as a real one is: reached over loopback, its times sent over IPC. */
function forkUpstream(): Promise<UpstreamFeed> {
  const queue = timesQueue();
  const child = fork(path.join(__dirname, "bench-upstream.ts"), ["--serve"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the upstream process exited (${code})`)));
    child.on("message", (message: { port?: number; times?: UpstreamTimes }) => {
      if (message.times) queue.push(message.times);
      if (message.port) resolve({ url: `http://127.0.0.1:${message.port}/v1`, next: queue.next, stop: () => child.kill() });
    });
  });
}

async function inProcessUpstream(): Promise<UpstreamFeed> {
  const queue = timesQueue();
  const server = await startUpstream(queue.push);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    next: queue.next,
    stop: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

// ---- a sequential keep-alive client timed with performance.now() --------------------------------------------------

interface Timed {
  status: number;
  /** performance.now() when the request was sent. */
  startedAt: number;
  /** Until the whole body was read. */
  totalMs: number;
  /** Until the first bytes of the body (a stream's opening chunk, before any content). */
  firstByteMs: number;
  /** Until the first server-sent event with non-empty content (streams), else NaN. */
  firstContentMs: number;
}

function hasContent(event: string): boolean {
  for (const line of event.split("\n")) {
    const data = line.startsWith("data:") ? line.slice(5).trim() : "";
    if (data === "" || data === "[DONE]") continue;
    const parsed = JSON.parse(data) as { choices?: { delta?: { content?: string }; text?: string }[] };
    const choice = parsed.choices?.[0];
    if ((choice?.delta?.content ?? choice?.text ?? "") !== "") return true;
  }
  return false;
}

function post(agent: http.Agent, url: string, headers: Record<string, string>, body: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstContentMs = NaN;
    let firstByteMs = NaN;
    let pending = "";
    const request = http.request(url, { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (response) => {
      const isStream = (response.headers["content-type"] ?? "").startsWith("text/event-stream");
      response.on("data", (chunk: Buffer) => {
        if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
        if (!isStream || !Number.isNaN(firstContentMs)) return;
        pending += chunk.toString();
        let end = pending.indexOf("\n\n");
        while (end >= 0 && Number.isNaN(firstContentMs)) {
          if (hasContent(pending.slice(0, end))) firstContentMs = performance.now() - started;
          pending = pending.slice(end + 2);
          end = pending.indexOf("\n\n");
        }
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, startedAt: started, totalMs: performance.now() - started, firstByteMs, firstContentMs }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

interface Summary {
  p50: number;
  p99: number;
  mean: number;
  count: number;
}

function at(samples: readonly number[], q: number): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function summarise(samples: number[]): Summary {
  const sorted = samples.slice().sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length, count: sorted.length };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function expectOk(timed: Promise<Timed>, what: string): Promise<Timed> {
  const result = await timed;
  if (result.status !== 200) throw new Error(`${what} answered ${result.status}`);
  return result;
}

// ---- CPU time of the server and the database (Linux /proc; null elsewhere) -----------------------------------

const CLOCK_TICKS_PER_S = 100;

function procStat(pid: number): { ppid: number; cpuMs: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime + stime, and cutime + cstime: the time of children it has reaped (a PostgreSQL backend that exits during a
    // run moves its time there, instead of out of the sum).
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { ppid: Number(fields[1]), cpuMs: (ticks * 1_000) / CLOCK_TICKS_PER_S };
  } catch {
    return null;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** The processes below `root` (itself included). */
function processTree(root: number): number[] {
  let pids: number[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const ppid = procStat(pid)?.ppid;
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  for (let queue = [root]; queue.length > 0; ) {
    const pid = queue.shift() ?? 0;
    tree.push(pid);
    queue = [...queue, ...(children.get(pid) ?? [])];
  }
  return tree;
}

/** CPU milliseconds used so far by `npm start`'s Node processes and by the embedded PostgreSQL (its own process group). */
function cpuSnapshot(serverPid: number | undefined, dataDir: string): { server: number; database: number } | null {
  if (serverPid === undefined || procStat(serverPid) === null) return null;
  const sum = (pids: number[]) => pids.reduce((total, pid) => total + (procStat(pid)?.cpuMs ?? 0), 0);
  const postmaster = readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number).find((pid) => cmdline(pid).includes(path.join(dataDir, "pg")) && !cmdline(pid).includes("postgres:"));
  const database = postmaster === undefined ? [] : processTree(postmaster);
  // The launcher started PostgreSQL, so the database is in the server's tree too: counted once, as the database.
  return { server: sum(processTree(serverPid).filter((pid) => !database.includes(pid))), database: sum(database) };
}

// ---- the server --------------------------------------------------------------------------------------------------

/** Waits until the server answers its health check, echoing its output (a build, the seeding) meanwhile. */
async function waitForHealth(deadline: number, echo: () => void): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await fetch(`${base}/api/health`).then((response) => response.ok, () => false);
    echo();
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the server did not become healthy in time");
}

const load = () => os.loadavg().map((value) => value.toFixed(2)).join(", ");

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`gatehouse bench, ${new Date().toISOString()}: ${cpus.length} × ${cpus[0]?.model ?? "cpu"}, node ${process.version}, load average ${load()} (1, 5, 15 min)`);
  const upstream = await forkUpstream();
  const localUpstream = await inProcessUpstream();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-bench-"));
  const logPath = path.join(dataDir, "server.log");
  const logFile = openSync(logPath, "a");
  const server = spawn(process.execPath, [require.resolve("tsx/cli"), "--conditions=react-server", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR: dataDir,
      GATEHOUSE_SEED_DEMO: "1",
      GATEHOUSE_BENCH_BASELINE: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      UPSTREAM_BASE_URL: upstream.url,
      UPSTREAM_MODEL_MAP: `${UPSTREAM_SENTENCES_MODEL}=sentences,${UPSTREAM_WORDS_MODEL}=words`,
    },
    stdio: ["ignore", logFile, "inherit"],
  });
  closeSync(logFile);
  // The server's output goes to a file, as in production: the bench's own process (the load generator) does not read a
  // log line per request while it measures. The request log stays on (its cost is part of the gateway's).
  let secret: string | undefined;
  let logOffset = 0;
  const echoServerOutput = () => {
    // Only what was added since the last call is read (the request log makes the file megabytes long by the end).
    const file = openSync(logPath, "r");
    const added = Buffer.alloc(Math.max(0, fstatSync(file).size - logOffset));
    readSync(file, added, 0, added.length, logOffset);
    closeSync(file);
    const complete = added.lastIndexOf(0x0a) + 1;
    logOffset += complete;
    for (const line of added.subarray(0, complete).toString().split("\n")) {
      const match = /demo development key of Demo Labs \(shown once\): (gk_dev_\S+)/.exec(line);
      if (match?.[1]) secret = match[1];
      else if (line.trim() !== "" && !line.includes('"msg":"api request"')) console.log(`  [server] ${line}`);
    }
  };
  const agents: http.Agent[] = [];
  const newAgent = () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    return agent;
  };
  let isServerUp = true;
  const stopServer = async () => {
    if (!isServerUp) return;
    isServerUp = false;
    server.kill("SIGTERM");
    await new Promise((resolve) => (server.exitCode === null ? server.once("exit", resolve) : resolve(null)));
  };
  try {
    await waitForHealth(Date.now() + 900_000, echoServerOutput);
    if (!secret) throw new Error("the server did not print the demo key");

    const database = await prepareDatabase(readLaunchEnv({ ...process.env, DATA_DIR: dataDir }));
    process.env.DATABASE_URL = database.url;
    const { getDb, disconnectDb } = await import("@/lib/db");
    const db = getDb();
    const key = await db.apiKey.findUniqueOrThrow({ where: { hash: hashKeySecret(secret) }, select: { id: true, organizationId: true, grantId: true, grant: { select: { scopes: true } } } });
    const stored = parseStoredScopes(key.grant.scopes);
    const scopes: KeyScopes = { ...stored, ...BENCH_LIMITS, topics: BENCH_TOPICS, inputFilter: "standard", outputFilter: "standard", models: [...stored.models, UPSTREAM_SENTENCES_MODEL, UPSTREAM_WORDS_MODEL] };
    await db.keyGrant.update({ where: { id: key.grantId }, data: { scopes } });

    const gatewayHeaders = { "content-type": "application/json", authorization: `Bearer ${secret}` };
    const baselineHeaders = { "content-type": "application/json" };
    const gatewayUrl = `${base}/v1/chat/completions`;
    const baselineUrl = `${base}/v1/bench/baseline`;
    const gatewayAgent = newAgent();
    const baselineAgent = newAgent();
    let gatewayResponses = 0;
    const gatewayPost = async (agent: http.Agent, body: string) => {
      const result = await expectOk(post(agent, gatewayUrl, gatewayHeaders, body), "the gateway");
      gatewayResponses += 1;
      return result;
    };

    // Warm-up: both routes compiled and hot, the key cached, the grant's counters loaded.
    const first = await fetch(gatewayUrl, { method: "POST", headers: gatewayHeaders, body: BENCH_BODY });
    if (!first.ok) throw new Error(`the gateway answered ${first.status}: ${await first.text()}`);
    gatewayResponses += 1;
    console.log(`reply (temperature 0): ${JSON.stringify(((await first.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content)}`);
    for (let i = 0; i < 300; i++) {
      await gatewayPost(gatewayAgent, BENCH_BODY);
      await expectOk(post(baselineAgent, baselineUrl, baselineHeaders, BENCH_BODY), "the baseline");
    }
    // Let the warm-up's records reach the database first (the buffer flushes every second).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const usageBefore = await db.usageRecord.count();
    const responsesBefore = gatewayResponses;

    // 1. Overhead at 1 connection: alternating blocks, each side on its own keep-alive connection.
    console.log(`\n1. overhead, 1 connection: ${REQUESTS} requests each, alternating blocks of ${BLOCK} ...`);
    const baselineMs: number[] = [];
    const gatewayMs: number[] = [];
    for (let done = 0; done < REQUESTS; done += BLOCK) {
      for (let i = 0; i < BLOCK; i++) baselineMs.push((await expectOk(post(baselineAgent, baselineUrl, baselineHeaders, BENCH_BODY), "the baseline")).totalMs);
      for (let i = 0; i < BLOCK; i++) gatewayMs.push((await gatewayPost(gatewayAgent, BENCH_BODY)).totalMs);
    }
    const baselineLatency = summarise(baselineMs);
    const gatewayLatency = summarise(gatewayMs);

    // 2. Throughput at 10 connections, baseline and gateway in ROUNDS rounds.
    console.log(`2. throughput, ${CONNECTIONS} connections: ${ROUNDS} rounds of baseline and gateway (order alternated), ${DURATION_S} s each ...`);
    // CPU time per answered request of the server's processes and of PostgreSQL, from /proc around each run.
    const cpuPerRequest = { baseline: { server: 0, database: 0, requests: 0 }, gateway: { server: 0, database: 0, requests: 0 } };
    const run = async (side: "baseline" | "gateway", url: string, headers: Record<string, string>) => {
      const before = cpuSnapshot(server.pid, dataDir);
      const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, method: "POST", headers, body: BENCH_BODY });
      // The gateway's records of the run are written within a second of it (both sides wait alike).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const after = cpuSnapshot(server.pid, dataDir);
      if (before && after) {
        cpuPerRequest[side].server += after.server - before.server;
        cpuPerRequest[side].database += after.database - before.database;
        cpuPerRequest[side].requests += result["2xx"] + result.non2xx;
      }
      return result;
    };
    const throughput: { baseline: AutocannonResult[]; gateway: AutocannonResult[] } = { baseline: [], gateway: [] };
    // Rounds in the order baseline, gateway, then gateway, baseline, and so on: a drift of the machine during the
    // measurements favours neither side.
    const runGateway = async () => {
      const gateway = await run("gateway", gatewayUrl, gatewayHeaders);
      gatewayResponses += gateway["2xx"] + gateway.non2xx;
      throughput.gateway.push(gateway);
    };
    const runBaseline = async () => void throughput.baseline.push(await run("baseline", baselineUrl, baselineHeaders));
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? [runBaseline, runGateway] : [runGateway, runBaseline]) await side();
    }
    const rate = (results: AutocannonResult[]) => results.reduce((sum, result) => sum + result.requests.average, 0) / results.length;
    const failures = [...throughput.baseline, ...throughput.gateway].reduce((sum, result) => sum + result.non2xx + result.errors + result.timeouts, 0);

    // 3. Streaming: the built-in model's first content chunk; an upstream's first content chunk, direct and through us.
    console.log(`3. streaming: ${STREAMS} built-in streams, ${UPSTREAM_STREAMS} upstream streams each way (chunks every ${UPSTREAM_CHUNK_MS} ms) ...`);
    const builtinFirst: number[] = [];
    const builtinFirstByte: number[] = [];
    const builtinTotal: number[] = [];
    for (let i = 0; i < STREAMS; i++) {
      const timed = await gatewayPost(gatewayAgent, streamBody(BENCH_REQUEST.model));
      builtinFirst.push(timed.firstContentMs);
      builtinFirstByte.push(timed.firstByteMs);
      builtinTotal.push(timed.totalMs);
    }
    const directAgent = newAgent();
    const localAgent = newAgent();
    const upstreamDirect: number[] = [];
    const upstreamLocal: number[] = [];
    const upstreamGateway: number[] = [];
    const upstreamWordsDirect: number[] = [];
    const upstreamWordsGateway: number[] = [];
    // Where the gateway's extra time goes: until the upstream has the request, and from its first chunk to the client
    // (the upstream's times are of the machine's monotonic clock; performance.now() is the same clock from another origin).
    const clockOffset = monotonicMs() - performance.now();
    const toUpstream = { direct: [] as number[], local: [] as number[], gateway: [] as number[] };
    const relay = { direct: [] as number[], local: [] as number[], gateway: [] as number[] };
    const split = async (side: "direct" | "local" | "gateway", timed: Timed, feed: UpstreamFeed) => {
      const times = await feed.next();
      const startedAt = timed.startedAt + clockOffset;
      toUpstream[side].push(times.receivedAt - startedAt);
      relay[side].push(startedAt + timed.firstContentMs - times.firstChunkAt);
      return timed.firstContentMs;
    };
    const direct = (agent: http.Agent, feed: UpstreamFeed, model: string) => expectOk(post(agent, `${feed.url}/chat/completions`, baselineHeaders, streamBody(model)), "the upstream");
    // Alternating blocks, as in 1: each side is timed in its own steady state of one stream after another. (Alternating
    // single requests left the gateway idle for the length of a direct stream before each of its own, and on this
    // machine a process woken after 100 ms idle answers ~3 ms later, baseline included: see the README.)
    for (let done = 0; done < UPSTREAM_STREAMS; done += UPSTREAM_BLOCK) {
      for (let i = 0; i < UPSTREAM_BLOCK; i++) upstreamDirect.push(await split("direct", await direct(directAgent, upstream, "sentences"), upstream));
      for (let i = 0; i < UPSTREAM_BLOCK; i++) upstreamGateway.push(await split("gateway", await gatewayPost(gatewayAgent, streamBody(UPSTREAM_SENTENCES_MODEL)), upstream));
      for (let i = 0; i < UPSTREAM_BLOCK; i++) upstreamLocal.push(await split("local", await direct(localAgent, localUpstream, "sentences"), localUpstream));
      for (let i = 0; i < UPSTREAM_BLOCK / 5; i++) {
        upstreamWordsDirect.push((await direct(directAgent, upstream, "words")).firstContentMs);
        await upstream.next();
      }
      for (let i = 0; i < UPSTREAM_BLOCK / 5; i++) {
        upstreamWordsGateway.push((await gatewayPost(gatewayAgent, streamBody(UPSTREAM_WORDS_MODEL))).firstContentMs);
        await upstream.next();
      }
    }
    // What waking an idle server costs here, whatever the route: the baseline back to back, and after 100 ms idle.
    const idleWake = { busy: [] as number[], idle: [] as number[] };
    for (let i = 0; i < IDLE_SAMPLES; i++) idleWake.busy.push((await expectOk(post(baselineAgent, baselineUrl, baselineHeaders, BENCH_BODY), "the baseline")).totalMs);
    for (let i = 0; i < IDLE_SAMPLES; i++) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_GAP_MS));
      idleWake.idle.push((await expectOk(post(baselineAgent, baselineUrl, baselineHeaders, BENCH_BODY), "the baseline")).totalMs);
    }

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const usageRows = (await db.usageRecord.count()) - usageBefore;
    await disconnectDb();
    for (const agent of agents) agent.destroy();
    const loadAfterHttp = load();

    // 4 and 5, in process, the server idle (its database serves the batch-write timing): the steps and tokens/s.
    console.log(`4-5. in process (scripts/bench-steps.ts) ...\n`);
    const gatewayRate = rate(throughput.gateway);
    const steps = spawnSync(process.execPath, [require.resolve("tsx/cli"), "--conditions=react-server", "scripts/bench-steps.ts", "--window", String(Math.round(gatewayRate * 60))], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: database.url, BENCH_API_KEY_ID: key.id, BENCH_ORGANIZATION_ID: key.organizationId },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 512 * 1024 * 1024,
    });
    // The pipeline in process logs each request as the server does (the cost is measured); the lines are not echoed.
    for (const line of steps.stdout.toString().split("\n")) if (!line.includes('"msg":"api request"')) console.log(line);
    if (steps.status !== 0) throw new Error("scripts/bench-steps.ts failed");
    await stopServer();
    await database.stop();

    const overheadP50 = gatewayLatency.p50 - baselineLatency.p50;
    const overheadP99 = gatewayLatency.p99 - baselineLatency.p99;
    const share = (gatewayRate / rate(throughput.baseline)) * 100;
    const builtin = summarise(builtinFirst);
    const directStreams = summarise(upstreamDirect);
    const localStreams = summarise(upstreamLocal);
    const through = summarise(upstreamGateway);
    const wordsDirect = summarise(upstreamWordsDirect);
    const wordsThrough = summarise(upstreamWordsGateway);
    console.log(`\nresults (load average ${load()} now; ${loadAfterHttp} after the HTTP measurements)`);
    console.log(`1. overhead, 1 connection (${REQUESTS} requests each, keep-alive, blocks of ${BLOCK} alternated):`);
    console.log(`   baseline  p50 ${ms(baselineLatency.p50)}  p99 ${ms(baselineLatency.p99)}  mean ${ms(baselineLatency.mean)}`);
    console.log(`   gateway   p50 ${ms(gatewayLatency.p50)}  p99 ${ms(gatewayLatency.p99)}  mean ${ms(gatewayLatency.mean)}`);
    console.log(`   p90/p95   baseline ${ms(at(baselineMs, 0.9))} / ${ms(at(baselineMs, 0.95))}, gateway ${ms(at(gatewayMs, 0.9))} / ${ms(at(gatewayMs, 0.95))}`);
    console.log(`   overhead  p50 +${ms(overheadP50)} (target <= ${TARGETS.overheadP50Ms} ms: ${verdict(overheadP50 <= TARGETS.overheadP50Ms)})  p99 +${ms(overheadP99)} (target <= ${TARGETS.overheadP99Ms} ms: ${verdict(overheadP99 <= TARGETS.overheadP99Ms)})`);
    if (overheadP99 < 0) console.log(`   (a negative p99 difference means other processes' noise set both tails: not a measurement of the gateway; re-run on a quieter machine)`);
    console.log(`2. throughput, ${CONNECTIONS} connections (autocannon, ${ROUNDS} × ${DURATION_S} s each, alternated):`);
    for (const [name, results] of [["baseline", throughput.baseline], ["gateway", throughput.gateway]] as const) {
      console.log(`   ${name.padEnd(9)} ${results.map((result) => `${result.requests.average.toFixed(0)} req/s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms)`).join(", ")}`);
    }
    const roundShares = throughput.gateway.map((result, round) => `${((result.requests.average / (throughput.baseline[round]?.requests.average ?? NaN)) * 100).toFixed(1)}%`);
    console.log(`   gateway / baseline, round by round: ${roundShares.join(", ")}`);
    console.log(`   gateway / baseline: ${share.toFixed(1)}% (target >= ${TARGETS.throughputPercent}%: ${verdict(share >= TARGETS.throughputPercent)});  non-2xx, errors and timeouts: ${failures}`);
    for (const side of ["baseline", "gateway"] as const) {
      const { server: serverMs, database: databaseMs, requests } = cpuPerRequest[side];
      if (requests > 0) console.log(`   CPU per request, ${side.padEnd(8)}: server ${((serverMs / requests) * 1_000).toFixed(0)} µs, PostgreSQL ${((databaseMs / requests) * 1_000).toFixed(0)} µs (/proc, 10 ms ticks)`);
    }
    console.log(`3. streaming, time to the first chunk with content:`);
    console.log(
      `   built-in model     p50 ${ms(builtin.p50)}  p99 ${ms(builtin.p99)} (target p50 <= ${TARGETS.builtinFirstChunkMs} ms: ${verdict(builtin.p50 <= TARGETS.builtinFirstChunkMs)});` +
        ` opening chunk (role only) p50 ${ms(summarise(builtinFirstByte).p50)}, whole stream p50 ${ms(summarise(builtinTotal).p50)}`,
    );
    console.log(`   upstream, direct   p50 ${ms(directStreams.p50)}  p99 ${ms(directStreams.p99)} (the upstream in a process of its own, as a real one is)`);
    console.log(
      `   upstream, gateway  p50 ${ms(through.p50)}  p99 ${ms(through.p99)}  = upstream +${ms(through.p50 - directStreams.p50)} at p50, +${ms(through.p99 - directStreams.p99)} at p99` +
        ` (target <= +${TARGETS.upstreamFirstChunkExtraMs} ms: ${verdict(through.p50 - directStreams.p50 <= TARGETS.upstreamFirstChunkExtraMs)})`,
    );
    console.log(`   the same upstream inside the bench's own process, called directly (no process boundary crossed): p50 ${ms(localStreams.p50)}; gateway +${ms(through.p50 - localStreams.p50)} over it`);
    const splitLine = (side: "direct" | "local" | "gateway") => `${ms(summarise(toUpstream[side]).p50)} / ${ms(summarise(relay[side]).p50)}`;
    console.log(
      `   p50 until the upstream has the request / from the upstream's first chunk to the client:` +
        ` gateway ${splitLine("gateway")}, direct ${splitLine("direct")}, in-process direct ${splitLine("local")}`,
    );
    console.log(
      `   a word a chunk (${wordsDirect.count} streams): upstream p50 ${ms(wordsDirect.p50)}, gateway p50 ${ms(wordsThrough.p50)} (${verdict(wordsThrough.p50 - wordsDirect.p50 <= TARGETS.upstreamFirstChunkExtraMs)}):` +
        ` output moderation holds text back until its sentence has ended (the space after it comes with chunk ${WORDS.findIndex((word) => word.endsWith(".")) + 2} here), by design`,
    );
    console.log(
      `   waking an idle server (the baseline, ${IDLE_SAMPLES} requests each): p50 ${ms(summarise(idleWake.busy).p50)} back to back, ${ms(summarise(idleWake.idle).p50)} after ${IDLE_GAP_MS} ms idle`,
    );
    const answered = gatewayResponses - responsesBefore;
    // autocannon stops counting with its connections' requests still in flight; the server answers and records them.
    const inFlightAtStops = CONNECTIONS * throughput.gateway.length;
    const isOneEach = usageRows >= answered && usageRows <= answered + inFlightAtStops;
    console.log(
      `usage records written during the measurements: ${usageRows}; gateway responses counted: ${answered}` +
        ` (${isOneEach ? "one record each, plus" : "NOT one record each; allowing for"} up to ${inFlightAtStops} requests in flight when the autocannon runs stopped)`,
    );
  } finally {
    for (const agent of agents) agent.destroy();
    await stopServer();
    upstream.stop();
    localUpstream.stop();
    // What the server said after it started, its request log aside (warnings, errors, its shutdown).
    echoServerOutput();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
