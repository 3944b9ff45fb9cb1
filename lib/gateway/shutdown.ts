// Server start and stop for the API. `npm start` sets NEXT_MANUAL_SIG_HANDLE=1, so these handlers own SIGINT/SIGTERM:
// refuse new API requests (503), let the ones in flight finish, store every buffered record, then exit. Should the
// database be away at that moment, the records still unstored after a while go to a spill file in DATA_DIR, which
// the next start stores first: no acknowledged request goes unrecorded.
import "server-only";
import { readdir, readFile, rm } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { db } from "@/lib/db";
import { gatewayPort, parentPidToWatch } from "@/lib/env";
import { processSingleton } from "@/lib/process";
import { withDatabaseDeadline } from "./deadline";
import { startKeyListener } from "./key-cache";
import { SPILL_DIR, spillRecords } from "./spill";
import { drainInFlight, gatewayRuntime, warmUpGateway, type GatewayRuntime } from "./runtime";
import type { RecordRow } from "./usage";

/** How long the shutdown keeps trying to store records before it spills them to disk. */
export const SHUTDOWN_FLUSH_MS = 20_000;
/** Lets the last responses leave the socket before the process exits. */
const EXIT_GRACE_MS = 250;

/** Server start: warm the gateway up, store any records a previous stop spilled, install the signal handlers. */
export function startGateway(): void {
  installShutdownHandlers();
  stopWithParent();
  startKeyListener();
  const runtime = gatewayRuntime();
  void warmUpGateway(runtime.config)
    .then(() => warmUpRoutes())
    .catch((error: unknown) => console.error("[gateway] warm-up failed", error));
  void replaySpilledRecords(runtime).catch((error: unknown) => console.error("[gateway] storing spilled records failed", error));
}

/**
 * Next loads a route's bundle on its first request (1–3 s on a fresh server): ask each /v1 route once, without a key
 * (a 401, nothing recorded), as soon as the server listens, and open the database pool, so a client's first call is
 * as fast as the next.
 */
async function warmUpRoutes(): Promise<void> {
  const port = gatewayPort();
  const started = Date.now();
  await withDatabaseDeadline(db.$queryRaw`SELECT 1`).catch(() => undefined);
  // node:http, not fetch: Next patches fetch for its caching, and this runs outside any request.
  const ask = (method: string, route: string) =>
    new Promise<boolean>((resolve) => {
      const request = http.request({ host: "127.0.0.1", port, method, path: route, timeout: 10_000 }, (response) => {
        response.resume();
        response.on("end", () => resolve(true));
      });
      request.on("timeout", () => request.destroy());
      request.on("error", () => resolve(false));
      request.end();
    });
  for (let attempt = 0; attempt < 100 && !(await ask("GET", "/v1/models")); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
  const routes: [string, string][] = [["GET", "/v1/models/warm-up"], ["POST", "/v1/chat/completions"], ["POST", "/v1/completions"], ["POST", "/v1/moderations"]];
  await Promise.all(routes.map(([method, route]) => ask(method, route)));
  console.log(`[gateway] routes warm in ${Date.now() - started} ms`);
}

/** Refuses new requests, drains those in flight and stores (or spills) every buffered record. */
export async function stopGateway(runtime: GatewayRuntime): Promise<void> {
  runtime.isStopping = true;
  await drainInFlight(runtime);
  const unstored = await runtime.recorder.flushWithin(SHUTDOWN_FLUSH_MS);
  if (unstored.length > 0) await spillRecords(runtime.config.dataDir, unstored);
}

function reviveRow(line: string): RecordRow {
  const row = JSON.parse(line) as RecordRow;
  row.entry.createdAt = new Date(row.entry.createdAt);
  return row;
}

/** Records spilled by an earlier stop are stored (ids make this idempotent), then their file is removed. */
export async function replaySpilledRecords(runtime: GatewayRuntime): Promise<number> {
  const dir = path.join(runtime.config.dataDir, SPILL_DIR);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".jsonl"));
  let count = 0;
  for (const name of files) {
    const file = path.join(dir, name);
    const rows = (await readFile(file, "utf8")).split("\n").filter((line) => line.trim() !== "").map(reviveRow);
    for (const row of rows) runtime.recorder.record(row);
    await runtime.recorder.flush();
    await rm(file, { force: true });
    count += rows.length;
  }
  if (count > 0) console.log(`[gateway] stored ${count} usage records spilled by an earlier stop`);
  return count;
}

/**
 * A launcher killed outright (SIGKILL, a crashed terminal, a test runner that timed out) leaves its server behind,
 * holding the port and answering with nobody to stop it: the server notices its parent is gone and stops itself
 * the graceful way (SIGTERM: drain, store the records).
 */
function stopWithParent(): void {
  const parentPid = parentPidToWatch();
  if (parentPid === undefined || process.ppid !== parentPid) return;
  processSingleton("parent-watch", () => {
    const timer = setInterval(() => {
      if (process.ppid === parentPid) return;
      clearInterval(timer);
      console.error(`[gateway] the launcher (pid ${parentPid}) is gone; stopping`);
      process.kill(process.pid, "SIGTERM");
    }, 1_000);
    timer.unref();
    return true;
  });
}

function installShutdownHandlers(): void {
  processSingleton("shutdown-handlers", () => {
    const exitCodes: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
    let isStopping = false;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        if (isStopping) return;
        isStopping = true;
        void stopGateway(gatewayRuntime())
          .catch((error: unknown) => console.error("[gateway] storing usage records at shutdown failed", error))
          .finally(() => setTimeout(() => process.exit(exitCodes[signal] ?? 1), EXIT_GRACE_MS));
      });
    }
    return true;
  });
}
