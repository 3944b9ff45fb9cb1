// The one Prisma client, over the `pg` driver: the embedded PostgreSQL (via `npm start`) or DATABASE_URL's server.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/env";

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

export async function disconnectDb(): Promise<void> {
  const client = globalForPrisma.gatehousePrisma;
  globalForPrisma.gatehousePrisma = undefined;
  await client?.$disconnect();
}

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
