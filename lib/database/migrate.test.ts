import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { listMigrations, migrateDatabase } from "@/lib/database/migrate";
import { registerScratchDatabases, withClient } from "@/tests/support/scratch-database";

const scratchDatabase = registerScratchDatabases("runner");
const tempDirs: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

function migrationRows(url: string): Promise<MigrationRow[]> {
  return withClient(url, async (client) => (await client.query<MigrationRow>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name, started_at`)).rows);
}

async function tableExists(url: string, table: string): Promise<boolean> {
  return withClient(url, async (client) => (await client.query("SELECT to_regclass($1) AS found", [`public."${table}"`])).rows[0]?.found !== null);
}

/** A migrations directory of its own: one folder per entry, each with a migration.sql. */
async function migrationsDir(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-migrations-"));
  tempDirs.push(dir);
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

async function projectMigrations(): Promise<{ name: string; checksum: string }[]> {
  const dir = path.resolve("prisma/migrations");
  const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash("sha256").update(await readFile(path.join(dir, name, "migration.sql"))).digest("hex"),
    })),
  );
}

describe("migrateDatabase", () => {
  it("applies every migration in prisma/migrations to an empty database and records each as Prisma does", async () => {
    const url = await scratchDatabase();
    const expected = await projectMigrations();
    expect(expected.length).toBeGreaterThan(0);

    const result = await migrateDatabase(url);

    expect(result).toEqual({ applied: expected.map((migration) => migration.name), wasEmpty: true });
    const rows = await migrationRows(url);
    expect(rows.map((row) => ({ name: row.migration_name, checksum: row.checksum }))).toEqual(expected);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
    }
    expect(await tableExists(url, "User")).toBe(true);
  });

  it("creates _prisma_migrations with Prisma's column names and types", async () => {
    const url = await scratchDatabase();
    await migrateDatabase(url);
    const columns = await withClient(url, async (client) =>
      (
        await client.query<{ name: string; type: string; length: number | null; nullable: string }>(
          `SELECT column_name AS name, data_type AS type, character_maximum_length AS length, is_nullable AS nullable
             FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
        )
      ).rows,
    );
    expect(columns).toEqual([
      { name: "id", type: "character varying", length: 36, nullable: "NO" },
      { name: "checksum", type: "character varying", length: 64, nullable: "NO" },
      { name: "finished_at", type: "timestamp with time zone", length: null, nullable: "YES" },
      { name: "migration_name", type: "character varying", length: 255, nullable: "NO" },
      { name: "logs", type: "text", length: null, nullable: "YES" },
      { name: "rolled_back_at", type: "timestamp with time zone", length: null, nullable: "YES" },
      { name: "started_at", type: "timestamp with time zone", length: null, nullable: "NO" },
      { name: "applied_steps_count", type: "integer", length: null, nullable: "NO" },
    ]);
  });

  it("a second run applies nothing and reports the database was not empty", async () => {
    const url = await scratchDatabase();
    await migrateDatabase(url);
    const before = await migrationRows(url);

    await expect(migrateDatabase(url)).resolves.toEqual({ applied: [], wasEmpty: false });
    expect(await migrationRows(url)).toEqual(before);
  });

  it("applies only the migrations added since the last run", async () => {
    const url = await scratchDatabase();
    const first = { "20260101000000_first": `CREATE TABLE "First" (id INTEGER PRIMARY KEY);` };
    await migrateDatabase(url, await migrationsDir(first));

    const both = { ...first, "20260102000000_second": `CREATE TABLE "Second" (id INTEGER PRIMARY KEY);` };
    await expect(migrateDatabase(url, await migrationsDir(both))).resolves.toEqual({ applied: ["20260102000000_second"], wasEmpty: false });
    expect((await migrationRows(url)).map((row) => row.migration_name)).toEqual(Object.keys(both));
  });

  it("two concurrent runs on an empty database both succeed and apply each migration once", async () => {
    const url = await scratchDatabase();
    const expected = (await listMigrations()).map((migration) => migration.name);

    const results = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);

    // One run applied everything while the other waited on the lock and then found nothing to do.
    expect(results.flatMap((result) => result.applied).sort()).toEqual(expected);
    expect(results.map((result) => result.applied.length).sort()).toEqual([0, expected.length]);
    const rows = await migrationRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(expected);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });

  it("a failing migration rolls back entirely, stops the run, and leaves no unfinished record", async () => {
    const url = await scratchDatabase();
    const good = { "20260101000000_good": `CREATE TABLE "Good" (id INTEGER PRIMARY KEY);` };
    const broken = {
      ...good,
      "20260102000000_broken": `CREATE TABLE "HalfDone" (id INTEGER PRIMARY KEY);\nSELEC nonsense;`,
      "20260103000000_after": `CREATE TABLE "After" (id INTEGER PRIMARY KEY);`,
    };

    await expect(migrateDatabase(url, await migrationsDir(broken))).rejects.toThrow(/Migration 20260102000000_broken failed: .*syntax error/);

    const rows = await migrationRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(["20260101000000_good"]);
    expect(rows.filter((row) => row.finished_at === null)).toEqual([]);
    expect(await tableExists(url, "Good")).toBe(true);
    expect(await tableExists(url, "HalfDone")).toBe(false);
    expect(await tableExists(url, "After")).toBe(false);
  });

  it("once a failed migration is fixed, the next run applies it and the ones after it", async () => {
    const url = await scratchDatabase();
    const good = { "20260101000000_good": `CREATE TABLE "Good" (id INTEGER PRIMARY KEY);` };
    await expect(migrateDatabase(url, await migrationsDir({ ...good, "20260102000000_fixed": `SELEC 1;` }))).rejects.toThrow(/20260102000000_fixed/);

    const fixed = { ...good, "20260102000000_fixed": `CREATE TABLE "Fixed" (id INTEGER PRIMARY KEY);`, "20260103000000_after": `SELECT 1;` };
    await expect(migrateDatabase(url, await migrationsDir(fixed))).resolves.toEqual({
      applied: ["20260102000000_fixed", "20260103000000_after"],
      wasEmpty: false,
    });
    expect(await tableExists(url, "Fixed")).toBe(true);
  });

  it("a migration edited after it was applied is not applied again, and the edit is reported", async () => {
    const url = await scratchDatabase();
    const name = "20260101000000_edited";
    await migrateDatabase(url, await migrationsDir({ [name]: `CREATE TABLE "Edited" (id INTEGER PRIMARY KEY);` }));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);

    const result = await migrateDatabase(url, await migrationsDir({ [name]: `CREATE TABLE "Edited" (id BIGINT PRIMARY KEY);` }));

    expect(result).toEqual({ applied: [], wasEmpty: false });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`${name} was edited after it was applied`));
    expect(await migrationRows(url)).toHaveLength(1);
  });
});
