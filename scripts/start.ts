// `npm start`: builds if needed, prepares the database (embedded unless DATABASE_URL is set), seeds the demo data
// on a fresh embedded database, then runs `next start` and stops the database when the server stops.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { ConfigError, readLaunchEnv } from "@/lib/env";
import { buildIfStale } from "@/lib/launch/build";
import { prepareDatabase } from "@/lib/launch/database";
import { assertPortFree } from "@/lib/launch/port";
import { loadOrCreateSecret } from "@/lib/launch/secret";
import { ensureBuiltinModelFile } from "@/lib/models/ngram/ensure";

const require = createRequire(__filename);

async function main(): Promise<void> {
  const env = readLaunchEnv();
  if (env.DATABASE_URL && !env.NEXTAUTH_SECRET) {
    throw new ConfigError(
      "NEXTAUTH_SECRET is required when DATABASE_URL is set (production). Generate one with `openssl rand -base64 32` and set it in the environment.",
    );
  }
  await assertPortFree(env.PORT);
  const nextBin = require.resolve("next/dist/bin/next");
  buildIfStale(nextBin);

  const database = await prepareDatabase(env);
  const secret = env.NEXTAUTH_SECRET ?? (await loadOrCreateSecret(env.DATA_DIR));
  process.env.DATABASE_URL = database.url;

  const shouldSeed = env.GATEHOUSE_SEED_DEMO === "1" || (database.mode === "embedded" && database.isFresh && env.GATEHOUSE_SEED_DEMO !== "0");
  if (shouldSeed) await seed();
  // Trained once into DATA_DIR/models before serving, so the first API request does not wait for it.
  await ensureBuiltinModelFile(env.DATA_DIR);

  const url = env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`;
  console.log(`[gatehouse] ${database.mode} database ready; starting on ${url}`);
  const server = spawn(process.execPath, [nextBin, "start", "-p", String(env.PORT)], {
    stdio: "inherit",
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: url,
      DATA_DIR: env.DATA_DIR,
      PORT: String(env.PORT),
      // The API's shutdown hook (instrumentation.ts) drains requests and flushes usage records, then exits.
      NEXT_MANUAL_SIG_HANDLE: "1",
      // Killed outright, this launcher leaves no server behind: the server stops when it is gone.
      GATEHOUSE_PARENT_PID: String(process.pid),
    },
  });

  // The launcher stops the database after the server has exited (see server.on("exit") below); the database runs in a
  // process group of its own, so a terminal's Ctrl-C reaches the launcher and the server, not PostgreSQL.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    server.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  server.on("exit", (code, signal) => {
    void database.stop().finally(() => process.exit(code ?? (signal ? 0 : 1)));
  });
}

async function seed(): Promise<void> {
  const [{ seedDemoData, demoAccounts }, { getDb, disconnectDb }] = await Promise.all([import("@/prisma/seed"), import("@/lib/db")]);
  const { demoKeySecret } = await seedDemoData(getDb());
  await disconnectDb();
  console.log("[gatehouse] demo data seeded. Demo accounts (change or suspend them before real use):");
  for (const account of demoAccounts) console.log(`  ${account.role.padEnd(9)} ${account.email}  password: ${account.password}`);
  // Demo data only: a real key's secret is shown once to the person who creates it, never logged.
  if (demoKeySecret) console.log(`[gatehouse] demo development key of Demo Labs (shown once): ${demoKeySecret}`);
}

main().catch((error: unknown) => {
  // The launcher is one unbundled module graph, so ConfigError exists once here and instanceof is sound.
  console.error(error instanceof ConfigError ? `[gatehouse] ${error.message}` : error);
  process.exit(1);
});
