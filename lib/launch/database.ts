// Prepares the database before the web server starts: embedded (default) or DATABASE_URL's, migrated either way.
import { createDatabase, startEmbeddedPostgres } from "@/lib/database/embedded";
import { migrateDatabase } from "@/lib/database/migrate";
import type { LaunchEnv } from "@/lib/env";

export interface PreparedDatabase {
  url: string;
  mode: "embedded" | "external";
  /** True when this start created the schema in an empty database. */
  isFresh: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE = "gatehouse";

export async function prepareDatabase(env: LaunchEnv, { log = false } = {}): Promise<PreparedDatabase> {
  if (env.DATABASE_URL) {
    const { applied, wasEmpty } = await migrateDatabase(env.DATABASE_URL);
    if (applied.length > 0) console.log(`[gatehouse] applied migrations: ${applied.join(", ")}`);
    return { url: env.DATABASE_URL, mode: "external", isFresh: wasEmpty, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres(env.DATA_DIR, { log });
  try {
    await createDatabase(server.adminUrl, EMBEDDED_DATABASE);
    const url = server.urlFor(EMBEDDED_DATABASE);
    const { applied, wasEmpty } = await migrateDatabase(url);
    if (applied.length > 0) console.log(`[gatehouse] applied migrations: ${applied.join(", ")}`);
    return { url, mode: "embedded", isFresh: wasEmpty, stop: server.stop };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
