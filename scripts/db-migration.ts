// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql offline, as the
// difference between the datamodel the existing migrations produce (schema.snapshot.prisma) and schema.prisma.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const SCHEMA = "prisma/schema.prisma";
const SNAPSHOT = "prisma/migrations/schema.snapshot.prisma";

function main(): void {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("Usage: npm run db:migration -- <name>   (lowercase letters, digits and _ only, e.g. add_api_keys)");
    process.exit(2);
  }
  const from = existsSync(SNAPSHOT) ? ["--from-schema-datamodel", SNAPSHOT] : ["--from-empty"];
  const sql = execFileSync(
    process.execPath,
    [require.resolve("prisma/build/index.js"), "migrate", "diff", ...from, "--to-schema-datamodel", SCHEMA, "--script"],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
    console.log("schema.prisma matches the migrations already: no migration written.");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join("prisma/migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  copyFileSync(SCHEMA, SNAPSHOT);
  console.log(`Wrote ${dir}/migration.sql; it is applied on the next start (and by the tests).`);
}

main();
