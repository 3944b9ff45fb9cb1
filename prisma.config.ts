// Prisma CLI configuration: WebAssembly engines and an in-memory PGlite, so the CLI never downloads a binary.
// Migrations reach real PostgreSQL through lib/db/migrate.ts (see README, "Migrations").
import { defineConfig } from "prisma/config";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

// The datasource names env("DATABASE_URL"); the adapter makes the value irrelevant to the CLI.
process.env.DATABASE_URL ??= "postgresql://unused@localhost/unused";

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  // The adapter's types predate Prisma 6.19's (see ENVIRONMENT.md); the runtime contract matches.
  adapter: async () => new PrismaPGlite(new PGlite()) as unknown as never,
});
