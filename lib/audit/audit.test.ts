import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordAudit } from "@/lib/audit";
import { csvCell, csvRow } from "@/lib/audit/csv";
import { describeAuditData } from "@/lib/audit/format";
import { AUDIT_CSV_HEADER, exportAuditCsv, listAuditEntries, listAuditFilterChoices } from "@/lib/audit/queries";
import { db } from "@/lib/db";
import { auditFilterSchema } from "@/lib/audit/schema";
import { parseCsv } from "@/tests/support/csv";
import { createUser } from "@/tests/support/factories";

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { userId: session.userId } : null),
}));

afterEach(() => {
  session.userId = null;
});

async function collect(lines: AsyncGenerator<string>): Promise<string> {
  let text = "";
  for await (const chunk of lines) text += chunk;
  return text;
}

async function seedEntries() {
  const tag = randomBytes(4).toString("hex");
  const admin = await createUser({ role: "ADMIN" });
  const other = await createUser({ role: "ADMIN" });
  const targetId = `key_${tag}`;
  await recordAudit({ actorId: admin.id, action: "key.suspended", targetType: "ApiKey", targetId, data: { reason: "=HYPERLINK(\"http://evil\")" } });
  await recordAudit({ actorId: admin.id, action: "key.revoked", targetType: "ApiKey", targetId, data: { reason: "Abuse, \"quoted\"\nsecond line" } });
  await recordAudit({ actorId: other.id, action: "category.created", targetType: "UseCaseCategory", targetId: `cat_${tag}`, data: { slug: "x" } });
  await recordAudit({ actorId: null, action: "key.suspended", targetType: "ApiKey", targetId: `auto_${tag}`, data: { reason: "automatic: 3 flags in 10 minutes" } });
  return { admin, other, targetId, tag };
}

describe("audit log", () => {
  it("is refused to reviewers, applicants and suspended admins (page data and CSV export)", async () => {
    for (const actor of [await createUser({ role: "REVIEWER" }), await createUser(), await createUser({ role: "ADMIN", status: "SUSPENDED" })]) {
      await expect(listAuditEntries({ actor, input: {} })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(listAuditFilterChoices({ actor })).rejects.toMatchObject({ kind: "forbidden" });
      expect(() => exportAuditCsv({ actor, input: {} })).toThrow(expect.objectContaining({ kind: "forbidden" }));
    }
  });

  it("filters by actor, action (exact or prefix), target and time range", async () => {
    const { admin, other, targetId } = await seedEntries();
    const ids = (result: Awaited<ReturnType<typeof listAuditEntries>>) => result.entries.map((entry) => entry.action);
    const byActor = await listAuditEntries({ actor: admin, input: { actor: admin.email.toUpperCase() } });
    expect(ids(byActor).sort()).toEqual(["key.revoked", "key.suspended"]);
    const byTarget = await listAuditEntries({ actor: admin, input: { targetType: "ApiKey", targetId } });
    expect(byTarget.total).toBe(2);
    const byPrefix = await listAuditEntries({ actor: admin, input: { action: "key", actor: other.email } });
    expect(byPrefix.total).toBe(0);
    const exact = await listAuditEntries({ actor: admin, input: { action: "key.suspended" } });
    expect(exact.entries.every((entry) => entry.action === "key.suspended")).toBe(true);
    expect(exact.total).toBeGreaterThanOrEqual(2);
    const system = await listAuditEntries({ actor: admin, input: { actor: "system", action: "key.suspended" } });
    expect(system.entries.every((entry) => entry.actorId === null)).toBe(true);
    expect(system.total).toBeGreaterThanOrEqual(1);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listAuditEntries({ actor: admin, input: { from: today, to: today, actor: admin.email } })).total).toBe(2);
    expect((await listAuditEntries({ actor: admin, input: { to: "2020-01-01" } })).total).toBe(0);
  });

  it("turns bad filter values into a clear invalid error, not a crash", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await expect(listAuditEntries({ actor: admin, input: { from: "yesterday" } })).rejects.toMatchObject({ kind: "invalid", message: expect.stringContaining("“From” must be a date") });
    await expect(listAuditEntries({ actor: admin, input: { from: "2026-02-01", to: "2026-01-01" } })).rejects.toMatchObject({ kind: "invalid", message: expect.stringContaining("on or before") });
    await expect(listAuditEntries({ actor: admin, input: { page: "-3" } })).rejects.toMatchObject({ kind: "invalid" });
    await expect(listAuditEntries({ actor: admin, input: { action: "'; drop table" } })).rejects.toMatchObject({ kind: "invalid" });
    expect(() => exportAuditCsv({ actor: admin, input: { to: "2026-13-45" } })).toThrow(expect.objectContaining({ kind: "invalid" }));
  });

  it("pages 50 entries at a time", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const targetId = `page_${randomBytes(4).toString("hex")}`;
    await db.auditLog.createMany({ data: Array.from({ length: 55 }, (_, index) => ({ actorId: admin.id, action: "test.paged", targetType: "Test", targetId, data: { index } })) });
    const first = await listAuditEntries({ actor: admin, input: { targetId } });
    const second = await listAuditEntries({ actor: admin, input: { targetId, page: "2" } });
    expect([first.entries.length, second.entries.length, first.pageCount]).toEqual([50, 5, 2]);
    expect(new Set([...first.entries, ...second.entries].map((entry) => entry.id)).size).toBe(55);
  });

  it("exports exactly the entries under the filter as CSV, in batches, escaped and formula-safe", async () => {
    const { admin, targetId } = await seedEntries();
    for (const input of [{ targetId }, { actor: admin.email }, { action: "key" }, {}]) {
      const listed = await listAuditEntries({ actor: admin, input });
      const rows = parseCsv(await collect(exportAuditCsv({ actor: admin, input, batchSize: 1 })));
      expect(rows[0]).toEqual([...AUDIT_CSV_HEADER]);
      expect(rows.length - 1).toBe(listed.total);
      expect(rows.slice(1, 1 + listed.entries.length).map((row) => `${row[3]} ${row[5]}`)).toEqual(listed.entries.map((entry) => `${entry.action} ${entry.targetId}`));
    }
    const rows = parseCsv(await collect(exportAuditCsv({ actor: admin, input: { targetId } })));
    const details = rows.slice(1).map((row) => row[6]);
    expect(details).toContain(JSON.stringify({ reason: "Abuse, \"quoted\"\nsecond line" }));
    expect(rows.slice(1).map((row) => row[1])).toEqual([admin.email, admin.email]);
  });

  it("neutralises cells a spreadsheet would run as a formula", () => {
    expect(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain"].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "plain"]);
    expect(csvRow(["a,b", 'say "hi"', null, 3])).toBe('"a,b","say ""hi""",,3\r\n');
    expect(csvCell("=A1,B1")).toBe("\"'=A1,B1\"");
  });

  it("renders stored details as readable pairs", () => {
    expect(describeAuditData({ reason: "Spam", graceUntil: "2026-01-01", scopes: ["a", "b"], nested: { x: 1 } })).toEqual([
      { label: "Reason", value: "Spam" },
      { label: "Grace until", value: "2026-01-01" },
      { label: "Scopes", value: "a, b" },
      { label: "Nested", value: '{"x":1}' },
    ]);
    expect(describeAuditData({})).toEqual([]);
  });

  it("the CSV route answers 401 signed out, 403 to non-admins and a CSV download to admins", async () => {
    const { GET } = await import("@/app/(admin)/admin/audit/export/route");
    const { admin, targetId } = await seedEntries();
    const url = `http://localhost/admin/audit/export?targetId=${targetId}`;
    expect((await GET(new Request(url))).status).toBe(401);
    for (const role of ["APPLICANT", "REVIEWER"] as const) {
      session.userId = (await createUser({ role })).id;
      expect((await GET(new Request(url))).status).toBe(403);
    }
    session.userId = admin.id;
    expect((await GET(new Request(`${url}&from=nope`))).status).toBe(400);
    const response = await GET(new Request(url));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const rows = parseCsv(await response.text());
    expect(rows.length).toBe(3);
    expect(rows.slice(1).some((row) => row[6]?.startsWith("'") !== true && row[6]?.includes("=HYPERLINK"))).toBe(true);
  });
});

describe("audit log is append-only in the database", () => {
  it("refuses UPDATE and DELETE of an entry, even through raw SQL", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await recordAudit({ actorId: admin.id, action: "test.immutable", targetType: "Test", targetId: "t1" });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "test.immutable" } });
    await expect(db.auditLog.update({ where: { id: entry.id }, data: { action: "test.changed" } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`UPDATE "AuditLog" SET "actorId" = NULL WHERE id = ${entry.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM "AuditLog" WHERE id = ${entry.id}`).rejects.toThrow(/append-only/);
    await expect(db.auditLog.deleteMany({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only/);
    expect(await db.auditLog.findUniqueOrThrow({ where: { id: entry.id } })).toMatchObject({ action: "test.immutable", actorId: admin.id });
  });

  it("still lets an account be deleted: its entries stay, with the actor cleared", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await recordAudit({ actorId: admin.id, action: "test.deleted_actor", targetType: "Test", targetId: "t2", data: { note: "kept" } });
    await db.user.delete({ where: { id: admin.id } });
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "test.deleted_actor" } });
    expect(entry).toMatchObject({ actorId: null, targetId: "t2", data: { note: "kept" } });
  });
});

describe("auditFilterSchema", () => {
  const problems = (input: Record<string, string>) => {
    const parsed = auditFilterSchema.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };
  it("names each date that is not one, and says nothing of their order then", () => {
    expect(problems({ from: "notadate", to: "2026-13-45" })).toEqual(["from: “From” must be a date (YYYY-MM-DD).", "to: “To” must be a date (YYYY-MM-DD)."]);
    expect(problems({ from: "2026-02-31", to: "2026-03-01" })).toEqual(["from: “From” must be a date (YYYY-MM-DD)."]);
  });
  it("refuses two real dates out of order, and takes them in order", () => {
    expect(problems({ from: "2026-03-02", to: "2026-03-01" })).toEqual(["to: “From” must be on or before “To”."]);
    expect(problems({ from: "2026-03-01", to: "2026-03-01" })).toEqual([]);
  });
});
