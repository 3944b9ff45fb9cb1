// Vitest global setup: one PostgreSQL for the run (embedded, or TEST_DATABASE_URL's server) and a migrated
// template database; each test file then gets a fresh copy of the template (tests/support/setup-file.ts).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, startEmbeddedPostgres, withDatabase } from "@/lib/database/embedded";
import { migrateDatabase } from "@/lib/database/migrate";
import { testEnv } from "@/lib/env";
import { buildIfStale } from "@/lib/launch/build";
import { ensureBuiltinModelFile } from "@/lib/models/ngram/ensure";
import { TEST_DATA_DIR } from "@/tests/support/production-server";

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  // The API tests run against the production server (tests/support/production-server.ts): build it once, as
  // `npm start` would, and train the built-in model into the shared test data directory.
  // GATEHOUSE_TEST_BUILD=skip: a quick local run of unit tests only (the production-server tests then use .next as it is).
  if (process.env.GATEHOUSE_TEST_BUILD !== "skip") buildIfStale(createRequire(import.meta.url).resolve("next/dist/bin/next"));
  await ensureBuiltinModelFile(TEST_DATA_DIR);
  const external = testEnv().TEST_DATABASE_URL;
  const tempDir = external ? undefined : await mkdtemp(path.join(os.tmpdir(), "gatehouse-vitest-"));
  const embedded = tempDir ? await startEmbeddedPostgres(tempDir) : undefined;
  const adminUrl = embedded?.adminUrl ?? (external as string);
  const templateDatabase = `gatehouse_template_${process.pid}`;

  await dropDatabase(adminUrl, templateDatabase);
  await createDatabase(adminUrl, templateDatabase);
  await migrateDatabase(withDatabase(adminUrl, templateDatabase));

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);
  console.log(`[tests] PostgreSQL: ${external ? "TEST_DATABASE_URL's server" : "embedded"}`);

  return async () => {
    await dropDatabase(adminUrl, templateDatabase);
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
}
