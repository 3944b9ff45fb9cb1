// Ctrl-C on `npm start` (issue 8): the launcher runs in its own process group like a terminal's foreground job, and
// SIGINT goes to the whole group under load, exactly as a terminal sends it. Every request in flight is answered (no
// connection reset), every answered request after authentication has its usage row when the app starts again on the
// same data directory, and the group exits with the embedded PostgreSQL stopped last and nothing left running.
import { spawn, type ChildProcess } from "node:child_process";
import { cp, mkdtemp, readdir, rm, utimes } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/database/embedded";
import { SPILL_DIR } from "@/lib/gateway/spill";
import { hashKeySecret } from "@/lib/keys/secret";
import { freezeCluster, postmasterPid } from "@/tests/support/embedded-cluster";
import { eventually, freePort, TEST_DATA_DIR } from "@/tests/support/production-server";
import { headerOf, isFailure, openAiErrorOf, rawRequest, type RawAnswer, type RawFailure } from "@/tests/support/raw-http";

const MODEL = "gatehouse-ngram";
const CLIENTS = 8;
const REPO = process.cwd();

interface Launcher {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/**
 * `npm start` rebuilds when a source file is newer than its build. Other test files serve this run's build while this
 * one runs, so the launcher gets its own copy of it, dated a day ahead: it serves exactly what the global setup built
 * for this run and never rebuilds (for minutes, under the other servers' feet) because a file was saved meanwhile.
 */
let buildCopy: Promise<string> | undefined;

/** One copy for every test of this file (copying onto an earlier copy fails on its node_modules links). */
function copyOfThisRunsBuild(): Promise<string> {
  return (buildCopy ??= copyBuild());
}

async function copyBuild(): Promise<string> {
  const source = path.join(REPO, process.env.NEXT_DIST_DIR || ".next");
  const copy = `.next-ctrl-c-${process.pid}`;
  await cp(source, path.join(REPO, copy), { recursive: true, filter: (file) => file !== path.join(source, "cache") });
  cleanups.push(() => rm(path.join(REPO, copy), { recursive: true, force: true }));
  const tomorrow = new Date(Date.now() + 86_400_000);
  await utimes(path.join(REPO, copy, "BUILD_ID"), tomorrow, tomorrow);
  return copy;
}

/**
 * `npm start` as a terminal runs it: the leader of its own process group. `throughNpm` starts it through npm itself
 * (what a process manager or a container runs), otherwise the launcher script directly.
 */
async function startLauncher(dataDir: string, { seedDemo, distDir, throughNpm = false }: { seedDemo: boolean; distDir: string; throughNpm?: boolean }): Promise<Launcher> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, GATEHOUSE_SEED_DEMO: seedDemo ? "1" : "0", NEXT_DIST_DIR: distDir };
  // The embedded database, not the test database; a terminal has no test settings.
  for (const name of ["DATABASE_URL", "NEXTAUTH_URL", "NODE_ENV"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("VITEST")) delete env[name];
  const [command, args] = throughNpm ? ["npm", ["start"]] : [path.join(REPO, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/start.ts"]];
  const child = spawn(command, args, { cwd: REPO, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  cleanups.push(async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
    await exited;
  });
  const url = `http://127.0.0.1:${port}`;
  const isReady = await eventually(
    async () => {
      if (child.exitCode !== null) return true;
      if (!output.includes("[gateway] ready")) return false;
      return (await rawRequest(url, { method: "GET", path: "/api/health", timeoutMs: 5_000 })).status === 200;
    },
    (ready) => ready,
    120_000,
  );
  if (!isReady || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output.slice(-5_000)}`);
  return { child, url, output: () => output, exited };
}

async function withEmbeddedDatabase<T>(dataDir: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  // The running launcher's cluster: shared, so stopping it here is a no-op.
  const cluster = await startEmbeddedPostgres(dataDir);
  const client = new pg.Client({ connectionString: cluster.urlFor("gatehouse") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Which of `requestIds` have their usage row, once all of them have or 20 s have passed. */
function storedRequestIds(dataDir: string, requestIds: string[]): Promise<Set<string>> {
  return withEmbeddedDatabase(dataDir, (client) =>
    eventually(
      async () => new Set((await client.query<{ requestId: string }>(`SELECT "requestId" FROM "UsageRecord" WHERE "requestId" = ANY($1)`, [requestIds])).rows.map((row) => row.requestId)),
      (ids) => ids.size >= requestIds.length,
      20_000,
    ),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Outcome {
  startedAt: number;
  answer: RawAnswer | RawFailure;
}

/** Clients loop small completions and model lists, each on a new connection, until the server says it is stopping. */
function startLoad(url: string, secret: string) {
  const outcomes: Outcome[] = [];
  const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
  const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 8 });
  const loops = Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = 0; ; i++) {
      const startedAt = Date.now();
      const answer = await rawRequest(url, (i + client) % 3 === 0 ? { method: "GET", path: "/v1/models", headers, timeoutMs: 30_000 } : { method: "POST", path: "/v1/chat/completions", headers, body, timeoutMs: 30_000 });
      outcomes.push({ startedAt, answer });
      // A 503 says the server is stopping; a refused connection says it is gone: like a client, stop sending.
      if (answer.status === 503 || (isFailure(answer) && answer.error === "ECONNREFUSED")) return;
      if (isFailure(answer)) return;
    }
  });
  return { outcomes, done: Promise.all(loops) };
}

/**
 * A client that sends its headers and the start of a body, then nothing (held open for a minute): what the server
 * answers it, or how the connection ended.
 */
function stallBody(url: string, secret: string): Promise<{ status: number; connection: string | undefined; code?: string } | { error: string }> {
  return new Promise((resolve) => {
    const request = http.request(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "content-length": "1000" },
    });
    const giveUp = setTimeout(() => request.destroy(new Error("held for 60 s")), 60_000);
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      response.on("end", () => {
        clearTimeout(giveUp);
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, code: openAiErrorOf(text)?.error.code ?? undefined });
      });
    });
    request.on("error", (error) => {
      clearTimeout(giveUp);
      resolve({ error: error.message });
    });
    request.write('{"model": "gatehouse-ngram", "mes');
  });
}

describe("Ctrl-C on npm start", () => {
  it("answers every request in flight, stores every acknowledged usage row, and exits with the database stopped last", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-ctrl-c-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // Should the test fail with the database left running, stop it before its directory goes.
    cleanups.push(async () => {
      const leftover = await postmasterPid(dataDir);
      if (leftover !== null && isAlive(leftover)) {
        process.kill(leftover, "SIGINT");
        await eventually(async () => isAlive(leftover), (alive) => !alive, 10_000);
      }
    });
    // The built-in model is trained on first start; reuse the test suite's copy.
    await cp(path.join(TEST_DATA_DIR, "models"), path.join(dataDir, "models"), { recursive: true });

    const distDir = await copyOfThisRunsBuild();
    const first = await startLauncher(dataDir, { seedDemo: true, distDir });
    const secret = /demo development key of Demo Labs \(shown once\): (gk_dev_\S+)/.exec(first.output())?.[1];
    expect(secret, "the demo key in the launcher's output").toBeDefined();
    if (!secret) return;
    // The demo key's sandbox limits (60 a minute) would turn the load into 429s: raise them.
    await withEmbeddedDatabase(dataDir, (client) =>
      client.query(`UPDATE "KeyGrant" SET scopes = scopes || $1::jsonb WHERE id = (SELECT "grantId" FROM "ApiKey" WHERE hash = $2)`, [
        JSON.stringify({ requestsPerMinute: 100_000, tokensPerMinute: 100_000_000, monthlyTokenQuota: 10_000_000_000 }),
        hashKeySecret(secret),
      ]),
    );
    const postgresPid = await postmasterPid(dataDir);
    expect(postgresPid).not.toBeNull();

    const load = startLoad(first.url, secret);
    await eventually(
      async () => load.outcomes.filter((outcome) => outcome.answer.status === 200).length,
      (count) => count >= 40,
      30_000,
    );
    // A client that stalls mid-body does not hold the stop up: it is answered 503 at the drain's deadline.
    const stalled = stallBody(first.url, secret);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pid = first.child.pid ?? 0;
    const interruptedAt = Date.now();
    // What a terminal's Ctrl-C does: SIGINT to every process of the foreground group.
    process.kill(-pid, "SIGINT");
    await load.done;
    const exitCode = await Promise.race([first.exited, new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 60_000))]);
    const stoppedIn = Date.now() - interruptedAt;

    const outcomes = load.outcomes;
    const counts = new Map<string, number>();
    for (const { answer } of outcomes) counts.set(isFailure(answer) ? answer.error : String(answer.status), (counts.get(isFailure(answer) ? answer.error : String(answer.status)) ?? 0) + 1);
    const inFlight = outcomes.filter(({ startedAt, answer }) => startedAt < interruptedAt && startedAt + answer.ms > interruptedAt);
    console.log(
      `[ctrl-c] ${outcomes.length} requests ${JSON.stringify(Object.fromEntries(counts))}; ${inFlight.length} in flight at Ctrl-C (${inFlight.filter(({ answer }) => answer.status === 200).length} answered 200); exit ${String(exitCode)} after ${stoppedIn} ms`,
    );
    expect(exitCode, `the launcher's exit:\n${first.output().slice(-3_000)}`).toBe(130);
    // The drain waits 10 s for what is in flight, then 2 s more; the launcher then stops the database.
    expect(stoppedIn).toBeLessThan(25_000);
    expect(await stalled).toEqual({ status: 503, connection: "close", code: "service_unavailable" });
    // Nothing of the group is left, and the embedded database stopped (it runs in a group of its own).
    // The launcher stopped the database before it exited (it awaits that); the group's last exited children may take
    // a moment to be reaped.
    expect(postgresPid !== null && isAlive(postgresPid), "postgres still running after Ctrl-C").toBe(false);
    expect(await postmasterPid(dataDir), "postmaster.pid left behind").toBeNull();
    expect(await eventually(async () => isAlive(-pid), (alive) => !alive, 10_000), "a process of the launcher's group is still running").toBe(false);
    // Every request got an answer: none was reset; a refused connection means the server was already gone.
    const resets = outcomes.filter(({ answer }) => isFailure(answer) && answer.error !== "ECONNREFUSED");
    expect(resets.map(({ answer }) => (answer as RawFailure).error)).toEqual([]);
    expect(inFlight.every(({ answer }) => !isFailure(answer))).toBe(true);
    for (const { answer } of outcomes.filter(({ answer }) => answer.status === 503)) {
      expect(openAiErrorOf(isFailure(answer) ? "" : answer.body)?.error.code).toBe("service_unavailable");
      // A stopping server closes the connection after each answer, so no client sends on a socket it is about to drop.
      expect(headerOf(answer, "connection")).toBe("close");
    }
    expect(outcomes.filter(({ answer }) => !isFailure(answer) && answer.status !== 200 && answer.status !== 503).map(({ answer }) => answer.status)).toEqual([]);

    // The same data directory again: every acknowledged request has its row.
    const acknowledged = outcomes.filter(({ answer }) => !isFailure(answer) && answer.status !== 503).map(({ answer }) => headerOf(answer, "x-request-id") ?? "missing");
    const second = await startLauncher(dataDir, { seedDemo: false, distDir });
    const stored = await storedRequestIds(dataDir, acknowledged);
    const lost = acknowledged.filter((id) => !stored.has(id));
    console.log(`[ctrl-c] usage rows lost: ${lost.length} of ${acknowledged.length} acknowledged`);
    expect(lost).toEqual([]);

    const secondPid = second.child.pid ?? 0;
    const secondPostgres = await postmasterPid(dataDir);
    process.kill(-secondPid, "SIGINT");
    expect(await second.exited).toBe(130);
    expect(secondPostgres !== null && isAlive(secondPostgres)).toBe(false);
    expect(await postmasterPid(dataDir)).toBeNull();
  }, 300_000);

  it("ends within a minute with the embedded database frozen: the records wait in the spill file, the database is woken and stopped, the next start stores them", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-frozen-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let thaw: () => void = () => undefined;
    cleanups.push(async () => {
      thaw();
      const leftover = await postmasterPid(dataDir);
      if (leftover !== null && isAlive(leftover)) process.kill(leftover, "SIGINT");
    });
    await cp(path.join(TEST_DATA_DIR, "models"), path.join(dataDir, "models"), { recursive: true });
    const distDir = await copyOfThisRunsBuild();
    const first = await startLauncher(dataDir, { seedDemo: true, distDir });
    const secret = /demo development key of Demo Labs \(shown once\): (gk_dev_\S+)/.exec(first.output())?.[1] ?? "";
    expect(secret).not.toBe("");
    const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 4 });
    const ask = async () => rawRequest(first.url, { method: "POST", path: "/v1/chat/completions", headers, body, timeoutMs: 30_000 });
    const acknowledged: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await ask();
      expect(answer.status).toBe(200);
      acknowledged.push(headerOf(answer, "x-request-id") ?? "missing");
    }
    const postgresPid = await postmasterPid(dataDir);
    thaw = await freezeCluster(dataDir);
    // The key is cached and its counters loaded: the API goes on answering, its records wait in memory.
    for (let i = 0; i < 5; i++) {
      const answer = await ask();
      expect(answer.status).toBe(200);
      acknowledged.push(headerOf(answer, "x-request-id") ?? "missing");
    }

    const pid = first.child.pid ?? 0;
    const interruptedAt = Date.now();
    process.kill(-pid, "SIGINT");
    const exitCode = await Promise.race([first.exited, new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 90_000))]);
    const stoppedIn = Date.now() - interruptedAt;
    console.log(`[ctrl-c] frozen database: exit ${String(exitCode)} after ${stoppedIn} ms`);
    expect(exitCode, `the launcher's exit:\n${first.output().slice(-3_000)}`).toBe(130);
    // 20 s of trying to store the records, then the spill, then at most 10 s for the database.
    expect(stoppedIn).toBeLessThan(60_000);
    expect(postgresPid !== null && isAlive(postgresPid), "postgres still running").toBe(false);
    expect(await eventually(async () => isAlive(-pid), (alive) => !alive, 10_000), "a process of the launcher's group is still running").toBe(false);
    expect((await readdir(path.join(dataDir, SPILL_DIR))).filter((name) => name.endsWith(".jsonl")).length).toBeGreaterThan(0);

    const second = await startLauncher(dataDir, { seedDemo: false, distDir });
    const stored = await storedRequestIds(dataDir, acknowledged);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    process.kill(-(second.child.pid ?? 0), "SIGINT");
    expect(await second.exited).toBe(130);
  }, 240_000);

  it("stops the same way when SIGTERM reaches the npm process alone (docker stop, a process manager)", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-npm-term-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    cleanups.push(async () => {
      const leftover = await postmasterPid(dataDir);
      if (leftover !== null && isAlive(leftover)) process.kill(leftover, "SIGINT");
    });
    await cp(path.join(TEST_DATA_DIR, "models"), path.join(dataDir, "models"), { recursive: true });
    const launcher = await startLauncher(dataDir, { seedDemo: true, distDir: await copyOfThisRunsBuild(), throughNpm: true });
    const secret = /demo development key of Demo Labs \(shown once\): (gk_dev_\S+)/.exec(launcher.output())?.[1] ?? "";
    expect(secret).not.toBe("");
    const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 4 });
    const answered: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await rawRequest(launcher.url, { method: "POST", path: "/v1/chat/completions", headers, body, timeoutMs: 30_000 });
      expect(answer.status).toBe(200);
      answered.push(headerOf(answer, "x-request-id") ?? "missing");
    }
    const postgresPid = await postmasterPid(dataDir);
    const npmPid = launcher.child.pid ?? 0;
    // npm forwards the signal to its script's process, which must be the launcher itself (no shell or tsx in between).
    process.kill(npmPid, "SIGTERM");
    const exitCode = await Promise.race([launcher.exited, new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 40_000))]);
    expect(exitCode, `npm's exit:\n${launcher.output().slice(-3_000)}`).not.toBe("hung");
    expect(await eventually(async () => isAlive(-npmPid), (alive) => !alive, 10_000), "a process of the group is still running").toBe(false);
    expect(postgresPid !== null && isAlive(postgresPid), "postgres still running").toBe(false);
    expect((await storedRequestIds(dataDir, answered)).size).toBe(answered.length);
  }, 180_000);
});
