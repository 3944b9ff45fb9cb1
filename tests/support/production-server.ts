// The production server for API tests: `next start` over the `next build` output (built once by the global setup),
// exactly what `npm start` serves, on a free port, against this test file's database. Tests through it catch what a
// hand-made router cannot: Next bundles instrumentation and each route handler separately.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";

const require = createRequire(import.meta.url);

/** One model file for every test (trained by the global setup). */
export const TEST_DATA_DIR = path.join(os.tmpdir(), "gatehouse-test-models");

export interface ProductionServer {
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startProductionServer({ databaseUrl = process.env.DATABASE_URL, env = {}, dataDir = TEST_DATA_DIR }: { databaseUrl?: string; env?: Record<string, string>; dataDir?: string } = {}): Promise<ProductionServer> {
  if (!databaseUrl) throw new Error("startProductionServer needs a database URL");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_MANUAL_SIG_HANDLE: "1",
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? `test-${randomBytes(16).toString("hex")}`,
      NEXTAUTH_URL: url,
      DATA_DIR: dataDir,
      PORT: String(port),
      // A test process that dies (a timeout, Ctrl-C) leaves no server running: it stops when its parent is gone.
      GATEHOUSE_PARENT_PID: String(process.pid),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  let isUp = false;
  while (!isUp) {
    if (child.exitCode !== null) throw new Error(`the production server exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the production server did not answer within 90 s:\n${output}`);
    }
    isUp = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (!isUp) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The gateway warms up at start (model, classifier, each /v1 route): a user's first call comes after that.
  const warmDeadline = Date.now() + 30_000;
  while (!output.includes("[gateway] routes warm")) {
    if (Date.now() > warmDeadline) throw new Error(`the production server did not warm its routes within 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export function sdkClient(server: { url: string }, apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 30_000 });
}

/** Waits until `check` holds (usage records are written in batches, about every second), failing after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
