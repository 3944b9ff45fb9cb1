// Describes a database's schema from PostgreSQL's catalogs, so two databases built different ways can be compared.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { withClient } from "./scratch-database";

const run = promisify(execFile);

export interface SchemaCatalog {
  tables: string[];
  columns: { table: string; column: string; type: string; notNull: boolean; default: string | null }[];
  enums: { name: string; labels: string[] }[];
  indexes: { table: string; name: string; definition: string }[];
  constraints: { table: string; name: string; type: string; definition: string }[];
}

// Prisma's bookkeeping table exists only where the runner applied migrations.
const IGNORED_TABLE = "_prisma_migrations";

/** Tables, columns, enums, indexes and constraints of the `public` schema, each sorted by name. */
export async function describeSchema(url: string): Promise<SchemaCatalog> {
  return withClient(url, async (client) => {
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1
        ORDER BY 1`,
      [IGNORED_TABLE],
    );
    // By name, not position: a column added by a later migration legitimately comes last.
    const columns = await client.query<SchemaCatalog["columns"][number]>(
      `SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type",
              a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS "default"
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1 AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY 1, 2`,
      [IGNORED_TABLE],
    );
    // Labels in their sort order: an enum's order decides how `orderBy` sorts its column.
    const enums = await client.query<SchemaCatalog["enums"][number]>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
         FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public'
        GROUP BY t.typname
        ORDER BY 1`,
    );
    const indexes = await client.query<SchemaCatalog["indexes"][number]>(
      `SELECT tablename AS "table", indexname AS name, indexdef AS definition
         FROM pg_indexes WHERE schemaname = 'public' AND tablename <> $1
        ORDER BY 1, 2`,
      [IGNORED_TABLE],
    );
    // NOT NULL constraints (catalogued since PostgreSQL 18) are already covered by the columns' nullability.
    const constraints = await client.query<SchemaCatalog["constraints"][number]>(
      `SELECT c.relname AS "table", k.conname AS name, k.contype::text AS type, pg_get_constraintdef(k.oid) AS definition
         FROM pg_constraint k
         JOIN pg_namespace n ON n.oid = k.connamespace
         LEFT JOIN pg_class c ON c.oid = k.conrelid
        WHERE n.nspname = 'public' AND k.contype <> 'n' AND coalesce(c.relname, '') <> $1
        ORDER BY 1, 2`,
      [IGNORED_TABLE],
    );
    return {
      tables: tables.rows.map((row) => row.name),
      columns: columns.rows,
      enums: enums.rows,
      indexes: indexes.rows,
      constraints: constraints.rows,
    };
  });
}

/** The SQL that creates `schemaPath`'s datamodel in an empty database, from Prisma's own (offline) CLI. */
export async function sqlForDatamodel(schemaPath: string): Promise<string> {
  const cli = path.resolve("node_modules/prisma/build/index.js");
  const { stdout } = await run(
    process.execPath,
    [cli, "migrate", "diff", "--from-empty", "--to-schema-datamodel", schemaPath, "--script"],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    },
  );
  return stdout;
}
