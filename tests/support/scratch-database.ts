// Empty databases on the test server for tests that need more than the file's migrated copy (migrations, the runner).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { createDatabase, dropDatabase, withDatabase } from "@/lib/database/embedded";

/** Returns a function creating empty databases; every one is dropped after the file's tests. */
export function registerScratchDatabases(label: string): () => Promise<string> {
  const adminUrl = inject("adminDatabaseUrl");
  const created: string[] = [];
  afterAll(async () => {
    await Promise.all(created.map((name) => dropDatabase(adminUrl, name)));
  });
  return async () => {
    const name = `gatehouse_scratch_${label}_${randomBytes(5).toString("hex")}`;
    created.push(name);
    await createDatabase(adminUrl, name);
    return withDatabase(adminUrl, name);
  };
}

/** Runs `work` with one connection to `url`, closing it afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
