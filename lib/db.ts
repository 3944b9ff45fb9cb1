// The one Prisma client, over the `pg` driver: the embedded PostgreSQL (via `npm start`) or DATABASE_URL's server.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/env";
import { messageOf } from "@/lib/errors";

const globalForPrisma = globalThis as unknown as { gatehousePrisma?: PrismaClient };

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
  globalForPrisma.gatehousePrisma ??= createClient();
  return globalForPrisma.gatehousePrisma;
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getDb();
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

const globalForRecords = globalThis as unknown as { gatehouseRecordPool?: pg.Pool };

/**
 * Two connections of plain `pg` for the API's usage records, the one write of the hot path's volume (a batch of up to
 * 200 rows a second or more under load): through Prisma's query compiler, which runs on the thread that serves the
 * requests, one batch cost 8.7 ms of CPU (43 µs a row), through `pg` 1.2-2.5 ms. The same timeouts as Prisma's pool;
 * idle connections never keep a finished process alive.
 */
export function recordPool(): pg.Pool {
  if (!globalForRecords.gatehouseRecordPool) {
    const pool = new pg.Pool({ connectionString: databaseUrl(), ...POOL_SETTINGS, max: 2, allowExitOnIdle: true });
    // A connection that fails while idle (the database restarted) is dropped by the pool; unhandled, the error would
    // end the process.
    pool.on("error", (error) => console.error("[db] an idle connection of the record writer failed:", messageOf(error)));
    globalForRecords.gatehouseRecordPool = pool;
  }
  return globalForRecords.gatehouseRecordPool;
}

export async function disconnectDb(): Promise<void> {
  const client = globalForPrisma.gatehousePrisma;
  const pool = globalForRecords.gatehouseRecordPool;
  globalForPrisma.gatehousePrisma = undefined;
  globalForRecords.gatehouseRecordPool = undefined;
  await Promise.all([client?.$disconnect(), pool?.end()]);
}

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
