// The one Prisma client, over the `pg` driver: the embedded PostgreSQL (via `npm start`) or DATABASE_URL's server.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/env";
import { messageOf } from "@/lib/errors";
import { processSingleton, takeProcessSingleton } from "@/lib/process";

/**
 * A stalled or vanished database must turn into fast errors, never hung requests: connecting (or waiting for a
 * pooled connection) gives up after 3 s, a query after 15 s on the client side (a frozen server cannot enforce its
 * own statement_timeout) and 15 s on the server side; an idle transaction is ended after 15 s. The API's hot path
 * sets shorter deadlines of its own (lib/gateway/deadline.ts).
 */
export const POOL_SETTINGS = {
  connectionTimeoutMillis: 3_000,
  query_timeout: 15_000,
  statement_timeout: 15_000,
  idle_in_transaction_session_timeout: 15_000,
  keepAlive: true,
} as const;

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl(), ...POOL_SETTINGS }) });
}

/** Created on first use, so builds and imports never need a database. */
export function getDb(): PrismaClient {
  return processSingleton("prisma", createClient);
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getDb();
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/**
 * Two connections of plain `pg` for the API's usage records, the one write of the hot path's volume (a batch of up to
 * 200 rows a second or more under load): through Prisma's query compiler, which runs on the thread that serves the
 * requests, one batch cost 8.7 ms of CPU (43 µs a row), through `pg` 1.2-2.5 ms. The same timeouts as Prisma's pool;
 * idle connections never keep a finished process alive.
 */
function createRecordPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl(), ...POOL_SETTINGS, max: 2, allowExitOnIdle: true });
  // A connection that fails while idle (the database restarted) is dropped by the pool; unhandled, the error would
  // end the process.
  pool.on("error", (error) => console.error("[db] an idle connection of the record writer failed:", messageOf(error)));
  return pool;
}

export function recordPool(): pg.Pool {
  return processSingleton("record-pool", createRecordPool);
}

export async function disconnectDb(): Promise<void> {
  const client = takeProcessSingleton<PrismaClient>("prisma");
  const pool = takeProcessSingleton<pg.Pool>("record-pool");
  await Promise.all([client?.$disconnect(), pool?.end()]);
}

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
