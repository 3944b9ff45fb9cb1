// prisma/migrations must build exactly the database that schema.prisma describes; otherwise a deployed database
// and the generated client disagree. Compares the catalogs of a migrated database and one built from the datamodel.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/lib/database/migrate";
import { describeSchema, sqlForDatamodel, type SchemaCatalog } from "@/tests/support/schema-catalog";
import { registerScratchDatabases, withClient } from "@/tests/support/scratch-database";

const SCHEMA = path.resolve("prisma/schema.prisma");
const EXTRA_COLUMN = "driftCheckExtraColumn";
// The Prisma CLI takes ~15 s per run; both runs start together in beforeAll.
const CLI_TIMEOUT = 120_000;

const scratchDatabase = registerScratchDatabases("migrations");
let tempDir: string;
let migrated: SchemaCatalog;
let schemaSql: string;
let driftedSchemaSql: string;

async function catalogFromSql(sql: string): Promise<SchemaCatalog> {
  const url = await scratchDatabase();
  await withClient(url, (client) => client.query(sql));
  return describeSchema(url);
}

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-schema-"));
  // A copy of schema.prisma with one column more than the migrations create.
  const schema = await readFile(SCHEMA, "utf8");
  const drifted = schema.replace(/^model User \{$/m, `model User {\n  ${EXTRA_COLUMN} String?`);
  expect(drifted).not.toBe(schema);
  const driftedPath = path.join(tempDir, "schema.prisma");
  await writeFile(driftedPath, drifted);

  const migrate = async () => {
    const url = await scratchDatabase();
    await migrateDatabase(url);
    return describeSchema(url);
  };
  [migrated, schemaSql, driftedSchemaSql] = await Promise.all([migrate(), sqlForDatamodel(SCHEMA), sqlForDatamodel(driftedPath)]);
}, CLI_TIMEOUT);

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe("prisma/migrations", () => {
  it("produce exactly the database schema.prisma describes", async () => {
    const fromSchema = await catalogFromSql(schemaSql);
    expect(migrated.tables.length).toBeGreaterThan(0);
    // Field by field first, for a readable failure; then the whole catalog.
    expect(migrated.tables).toEqual(fromSchema.tables);
    expect(migrated.enums).toEqual(fromSchema.enums);
    expect(migrated.columns).toEqual(fromSchema.columns);
    expect(migrated.indexes).toEqual(fromSchema.indexes);
    expect(migrated.constraints).toEqual(fromSchema.constraints);
    expect(migrated).toEqual(fromSchema);
  });

  it("a schema with a column the migrations lack is detected as different", async () => {
    const fromDrifted = await catalogFromSql(driftedSchemaSql);
    expect(fromDrifted).not.toEqual(migrated);
    const extra = fromDrifted.columns.filter((column) => !migrated.columns.some((known) => known.table === column.table && known.column === column.column));
    expect(extra).toEqual([{ table: "User", column: EXTRA_COLUMN, type: "text", notNull: false, default: null }]);
  });
});
