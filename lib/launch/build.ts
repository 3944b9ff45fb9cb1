// `npm start` builds the production bundle when there is none or when a source file is newer than it.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "instrumentation.ts", "instrumentation-client.ts", "proxy.ts", "prisma/schema.prisma", "next.config.js", "package.json", "postcss.config.mjs"];
const IGNORED = new Set(["node_modules", "generated"]);

function newestMtime(entry: string): number {
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) {
    if (IGNORED.has(child) || child.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

// Mirrors next.config.js, so the check looks where the build goes.
function distDir(): string {
  return process.env.NEXT_DIST_DIR || ".next";
}

export function isBuildStale(root = process.cwd()): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(path.join(root, distDir(), "BUILD_ID")).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((source) => newestMtime(path.join(root, source)) > builtAt);
}

/** Holds a lock directory beside the build, so two processes (a test run and `npm start`) never build into it at once. */
function withBuildLock(work: () => void): void {
  const lock = `${distDir()}.lock`;
  const stale = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build is left over from a killed process.
      if (Date.now() > stale || Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function buildIfStale(nextBin: string): void {
  if (!isBuildStale()) return;
  let status: number | null = 0;
  withBuildLock(() => {
    // Another process may have built while this one waited for the lock.
    if (!isBuildStale()) return;
    console.log("[gatehouse] building the production bundle (next build)…");
    status = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } }).status;
  });
  if (status !== 0) {
    console.error("[gatehouse] next build failed; see the output above.");
    process.exit(status ?? 1);
  }
}
