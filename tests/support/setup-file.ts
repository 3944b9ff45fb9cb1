// Runs before each test file: points DATABASE_URL at a fresh copy of the migrated template database.
import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createDatabase, dropDatabase, withDatabase } from "@/lib/database/embedded";

const adminUrl = inject("adminDatabaseUrl");
const database = `gatehouse_test_${randomBytes(6).toString("hex")}`;
await createDatabase(adminUrl, database, inject("templateDatabase"));
process.env.DATABASE_URL = withDatabase(adminUrl, database);
process.env.NEXTAUTH_SECRET ??= "test-secret-test-secret-test-secret";

afterAll(async () => {
  const { disconnectDb } = await import("@/lib/db");
  await disconnectDb();
  await dropDatabase(adminUrl, database);
});
