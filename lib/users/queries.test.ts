import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { listUsers, USERS_PAGE_SIZE } from "@/lib/users/queries";
import { createUser, uniqueEmail } from "@/tests/support/factories";

/** A tag no other test's users contain, so searches see only this test's rows. */
function uniqueTag(): string {
  return `tag${randomBytes(5).toString("hex")}`;
}

async function createTaggedUsers(tag: string, count: number): Promise<string[]> {
  const data = Array.from({ length: count }, (_, i) => ({
    email: `${tag}-${String(i).padStart(2, "0")}@example.com`,
    name: `Paged ${i}`,
    passwordHash: "not-a-real-hash",
  }));
  await db.user.createMany({ data });
  return data.map((user) => user.email);
}

describe("listUsers", () => {
  it.each(["APPLICANT", "REVIEWER"] as const)("the role %s may not list accounts", async (role) => {
    const actor = await createUser({ role });
    await expect(listUsers({ actor, input: {} })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("finds users by part of their email, whatever the letter case", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const tag = uniqueTag();
    const wanted = await createUser({ email: `${tag}@example.com` });
    await createUser();

    const result = await listUsers({ actor: admin, input: { q: tag.toUpperCase() } });

    expect(result.users.map((user) => user.id)).toEqual([wanted.id]);
    expect(result.total).toBe(1);
    expect(result.q).toBe(tag.toUpperCase());
  });

  it("finds users by part of their name, whatever the letter case", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const tag = uniqueTag();
    const wanted = await db.user.create({ data: { email: uniqueEmail("named"), name: `Grace ${tag} Hopper`, passwordHash: "x" } });

    const result = await listUsers({ actor: admin, input: { q: `  ${tag.toUpperCase()} hopper ` } });

    expect(result.users.map((user) => user.id)).toEqual([wanted.id]);
  });

  it("does not return password hashes", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const result = await listUsers({ actor: admin, input: { q: admin.email } });
    expect(result.users).toHaveLength(1);
    expect(Object.keys(result.users[0] ?? {}).sort()).toEqual(["createdAt", "email", "id", "name", "role", "status"]);
  });

  it("pages through 30 matching users: page 1 is full, page 2 has the rest, page 3 is empty", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const tag = uniqueTag();
    const emails = await createTaggedUsers(tag, 30);

    const [first, second, beyond] = await Promise.all(
      [1, 2, 3].map((page) => listUsers({ actor: admin, input: { q: tag, page: String(page) } })),
    );

    expect(USERS_PAGE_SIZE).toBe(25);
    expect(first?.users).toHaveLength(25);
    expect(second?.users).toHaveLength(5);
    expect(beyond?.users).toEqual([]);
    expect([first, second, beyond].map((result) => result && { page: result.page, pageCount: result.pageCount, total: result.total })).toEqual([
      { page: 1, pageCount: 2, total: 30 },
      { page: 2, pageCount: 2, total: 30 },
      { page: 3, pageCount: 2, total: 30 },
    ]);
    const seen = [...(first?.users ?? []), ...(second?.users ?? [])].map((user) => user.email);
    expect(new Set(seen).size).toBe(30);
    expect([...seen].sort()).toEqual(emails);
  });

  it.each(["garbage", "-3", "0", "1.5", ""])("a page parameter of %j falls back to page 1", async (page) => {
    const admin = await createUser({ role: "ADMIN" });
    const tag = uniqueTag();
    await createTaggedUsers(tag, 3);

    const result = await listUsers({ actor: admin, input: { q: tag, page } });

    expect(result.page).toBe(1);
    expect(result.users).toHaveLength(3);
  });

  it("lists the newest accounts first", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const tag = uniqueTag();
    const older = await db.user.create({ data: { email: `${tag}-old@example.com`, name: "Old", passwordHash: "x", createdAt: new Date("2020-01-01T00:00:00Z") } });
    const newer = await db.user.create({ data: { email: `${tag}-new@example.com`, name: "New", passwordHash: "x", createdAt: new Date("2024-01-01T00:00:00Z") } });

    const result = await listUsers({ actor: admin, input: { q: tag } });

    expect(result.users.map((user) => user.id)).toEqual([newer.id, older.id]);
  });
});
