import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumExecutable } from "./e2e/browser";

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${port}`;
const executablePath = chromiumExecutable();
// A fresh data directory per run: the suite starts from the first-start experience of a new install.
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `gatehouse-e2e-${Date.now()}`);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    { name: "api", testMatch: /api\/.*\.spec\.ts/ },
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...devices["Desktop Chrome"] } },
    { name: "ui", testMatch: /ui\/.*\.spec\.ts/, dependencies: ["setup"], use: { ...devices["Desktop Chrome"] } },
  ],
  webServer: {
    command: "npm start",
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    // SIGTERM to `npm start`'s group: the launcher stops the server, then its embedded PostgreSQL (which runs in a
    // process group of its own, so Playwright's default SIGKILL of the group left one database behind per run).
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "pipe",
    env: { PORT: String(port), DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" },
  },
});
