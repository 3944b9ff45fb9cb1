// The one Prisma client, over the `pg` driver: the embedded PostgreSQL (via `npm start`) or DATABASE_URL's server.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/env";

const globalForPrisma = globalThis as unknown as { gatehousePrisma?: PrismaClient };

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl() }) });
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
