import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db";
import { authenticate } from "@/lib/users/service";
import { seedDemoData } from "@/prisma/seed";

interface ReadmeAccount {
  role: string;
  email: string;
  password: string;
}

/** The demo accounts as the README's table lists them: `| role | \`email\` | \`password\` |`. */
async function readmeAccounts(): Promise<ReadmeAccount[]> {
  const readme = await readFile(path.resolve("README.md"), "utf8");
  return [...readme.matchAll(/^\|\s*(admin|reviewer|applicant)\s*\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|$/gm)].map(([, role = "", email = "", password = ""]) => ({
    role: role.toUpperCase(),
    email,
    password,
  }));
}

// One database per file and fixed demo emails: each test seeds (idempotently) itself; the one changing a demo
// account's password comes last.
describe("seedDemoData", () => {
  const db = getDb();
  let accounts: ReadmeAccount[];

  beforeAll(async () => {
    accounts = await readmeAccounts();
  });

  it("the README lists the three demo accounts", () => {
    expect(accounts.map((account) => account.role)).toEqual(["ADMIN", "REVIEWER", "APPLICANT"]);
  });

  it("creates the demo accounts, each signing in with its README password and role", async () => {
    await expect(seedDemoData(db)).resolves.toMatchObject({ accounts: 3, categories: 8 });

    for (const account of accounts) {
      await expect(authenticate({ input: { email: account.email, password: account.password } })).resolves.toMatchObject({
        email: account.email,
        role: account.role,
        status: "ACTIVE",
      });
    }
  });

  it("creates the eight use-case categories in order", async () => {
    await seedDemoData(db);
    const categories = await db.useCaseCategory.findMany({ orderBy: { position: "asc" }, select: { slug: true, position: true, status: true } });
    expect(categories).toHaveLength(8);
    expect(categories.map((category) => category.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(categories.map((category) => category.slug)).size).toBe(8);
    expect(new Set(categories.map((category) => category.status))).toEqual(new Set(["SUPPORTED", "CASE_BY_CASE", "NOT_SUPPORTED"]));
  });

  it("running again adds nothing and keeps a changed password and a renamed category", async () => {
    await seedDemoData(db);
    const [admin] = accounts;
    if (!admin) throw new Error("the README lists no admin account");
    const changedPassword = "the admin changed this password";
    await db.user.update({ where: { email: admin.email }, data: { passwordHash: await hashPassword(changedPassword) } });
    const category = await db.useCaseCategory.findFirstOrThrow({ orderBy: { position: "asc" } });
    await db.useCaseCategory.update({ where: { id: category.id }, data: { name: "Renamed by an admin" } });

    await seedDemoData(db);

    expect(await db.user.count({ where: { email: { in: accounts.map((account) => account.email) } } })).toBe(3);
    expect(await db.useCaseCategory.count()).toBe(8);
    await expect(authenticate({ input: { email: admin.email, password: changedPassword } })).resolves.toMatchObject({ role: "ADMIN" });
    await expect(authenticate({ input: { email: admin.email, password: admin.password } })).rejects.toMatchObject({ kind: "unauthenticated" });
    expect(await db.useCaseCategory.findUniqueOrThrow({ where: { id: category.id } })).toMatchObject({ name: "Renamed by an admin" });
  });
});
