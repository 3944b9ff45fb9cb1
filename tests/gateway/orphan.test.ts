// A launcher killed outright (SIGKILL: a crashed terminal, a test runner that timed out) must not leave its server
// behind. Before: the orphaned server's output pipe was closed, every log line failed with EPIPE, each failure was
// logged to the same closed pipe, and the process spun at full CPU forever, deaf to SIGTERM. Now the server drops
// output to closed pipes and stops itself (gracefully) once its launcher is gone.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createTestKey } from "@/tests/support/gateway-factories";
import { eventually, freePort, TEST_DATA_DIR } from "@/tests/support/production-server";

/** Running (an exited process whose parent is gone may stay a zombie here: PID 1 of a container need not reap it). */
const isAlive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};

let serverPid: number | undefined;
afterAll(() => {
  if (serverPid && isAlive(serverPid)) process.kill(serverPid, "SIGKILL");
});

describe("a server whose launcher is killed", () => {
  it("stops by itself within seconds instead of spinning on its closed output", async () => {
    const key = await createTestKey();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The launcher: starts `next start` with its output piped to itself, as `npm start` and the test harness do.
    const launcherSource = `
      const { spawn } = require("node:child_process");
      const server = spawn(process.execPath, [${JSON.stringify(require.resolve("next/dist/bin/next"))}, "start", "-p", "${port}", "-H", "127.0.0.1"], {
        env: { ...process.env, GATEHOUSE_PARENT_PID: String(process.pid) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      server.stdout.on("data", (data) => process.stdout.write(data));
      server.stderr.on("data", (data) => process.stderr.write(data));
      console.log("server pid " + server.pid);`;
    const launcher = spawn(process.execPath, ["-e", launcherSource], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        NEXT_MANUAL_SIG_HANDLE: "1",
        NEXTAUTH_SECRET: `test-${randomBytes(16).toString("hex")}`,
        NEXTAUTH_URL: url,
        DATA_DIR: TEST_DATA_DIR,
        LOG_FORMAT: "json",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    launcher.stdout.on("data", (data: Buffer) => (output += data.toString()));
    launcher.stderr.on("data", (data: Buffer) => (output += data.toString()));
    await eventually(
      async () => output,
      (text) => text.includes("[gateway] routes warm"),
      90_000,
    );
    serverPid = Number(/server pid (\d+)/.exec(output)?.[1]);
    expect(serverPid).toBeGreaterThan(0);
    const ask = () =>
      fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key.secret}` } }).then(
        (response) => response.status,
        () => 0,
      );
    expect(await ask()).toBe(200);

    launcher.kill("SIGKILL");
    // Requests after the launcher is gone make the server write to its closed pipe (one log line each).
    for (let i = 0; i < 5; i++) await ask();
    const started = Date.now();
    const pid = serverPid;
    await eventually(
      async () => isAlive(pid),
      (alive) => !alive,
      20_000,
    );
    // Graceful: within the drain and flush time, not after a kill.
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 150_000);
});
