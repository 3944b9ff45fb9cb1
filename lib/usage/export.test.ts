import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { csvColumns, csvField, exportUsageCsv, usageCsvStream } from "@/lib/usage/export";
import { resolveUsageFilter } from "@/lib/usage/filters";
import { parseCsv } from "@/tests/support/csv";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWithGrant, createTestKey } from "@/tests/support/keysui-factories";

const now = new Date("2026-11-25T12:00:00Z");

async function readCsv(stream: ReadableStream<Uint8Array>): Promise<string[][]> {
  const text = await new Response(stream).text();
  return parseCsv(text);
}

async function seed() {
  const { owner, organization, grant } = await createOrganizationWithGrant({ name: "Export Co" });
  const key = await createTestKey({ grantId: grant.id, name: "=HYPERLINK(\"x\")" });
  const other = await createOrganizationWithGrant();
  const otherKey = await createTestKey({ grantId: other.grant.id });
  const base = { endpoint: "chat.completions", promptTokens: 3, completionTokens: 4, totalTokens: 7, latencyMs: 42, isFlagged: false };
  const mine = Array.from({ length: 23 }, (_, index) => ({
    ...base,
    id: `u${String(index).padStart(3, "0")}_${randomBytes(3).toString("hex")}`,
    requestId: `req_${index}`,
    apiKeyId: key.id,
    organizationId: organization.id,
    // Several rows share a timestamp, so the (createdAt, id) cursor must break ties.
    createdAt: new Date(now.getTime() - Math.floor(index / 3) * 60_000),
    endUserId: index === 0 ? '-cmd|" /C calc"!A0' : index === 1 ? "user, with\nnewline" : null,
    model: index % 2 === 0 ? "model-a" : "model-b",
    status: index % 4 === 0 ? 429 : 200,
    errorCode: index % 4 === 0 ? "rate_limit_exceeded" : null,
  }));
  const theirs = Array.from({ length: 5 }, (_, index) => ({ ...base, id: `t${index}_${randomBytes(3).toString("hex")}`, requestId: `their_${index}`, apiKeyId: otherKey.id, organizationId: other.organization.id, createdAt: now, endUserId: null, model: "model-a", status: 200, errorCode: null }));
  await db.usageRecord.createMany({ data: [...mine, ...theirs] });
  return { owner, organization, key, mine, other, otherKey };
}

describe("usage CSV export", () => {
  it("escapes CSV and neutralises formulas", () => {
    expect(csvField("=1+2")).toBe("'=1+2");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField(null)).toBe("");
    expect(csvField(-3)).toBe("-3");
  });

  it("the rows equal the records under the filter, in time order, across several batches", async () => {
    const { owner, organization, key, mine } = await seed();
    const filter = await resolveUsageFilter({ scope: { kind: "organizations", organizationIds: [organization.id] }, input: { range: "7d" }, now });
    const rows = await readCsv(usageCsvStream({ kind: "organizations", organizationIds: [organization.id] }, filter, 4));
    expect(rows[0]).toEqual([...csvColumns]);
    const sorted = [...mine].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    expect(rows.slice(1)).toEqual(
      sorted.map((record) => [
        record.requestId,
        record.createdAt.toISOString(),
        "Export Co",
        key.prefix,
        "'=HYPERLINK(\"x\")",
        record.endUserId === null ? "" : record.endUserId.startsWith("-") ? `'${record.endUserId}` : record.endUserId,
        record.model,
        "chat.completions",
        String(record.status),
        record.errorCode ?? "",
        "3",
        "4",
        "7",
        "42",
        "false",
      ]),
    );
    expect(JSON.stringify(rows)).not.toContain(key.secret);

    const filtered = await exportUsageCsv({ actor: owner, as: "member", input: { status: "429", model: "model-a" }, now });
    const filteredRows = await readCsv(filtered.stream);
    expect(filteredRows.slice(1).map((row) => row[0]).sort()).toEqual(mine.filter((record) => record.status === 429 && record.model === "model-a").map((record) => record.requestId).sort());
    expect(filtered.filename).toBe("gatehouse-usage-2026-10-27-to-2026-11-25.csv");
  });

  it("an applicant never gets another organisation's rows; a filter on them is refused; outsiders and other roles are refused", async () => {
    const { owner, mine, other, otherKey } = await seed();
    const all = await readCsv((await exportUsageCsv({ actor: owner, as: "member", input: {}, now })).stream);
    expect(all.slice(1).map((row) => row[0]).sort()).toEqual(mine.map((record) => record.requestId).sort());
    for (const input of [{ org: other.organization.id }, { key: otherKey.id }]) {
      await expect(exportUsageCsv({ actor: owner, as: "member", input, now })).rejects.toMatchObject({ kind: "not_found" });
    }
    const outsider = await createUser();
    expect(await readCsv((await exportUsageCsv({ actor: outsider, as: "member", input: {}, now })).stream)).toEqual([[...csvColumns]]);
    await expect(exportUsageCsv({ actor: owner, as: "admin", input: {}, now })).rejects.toMatchObject({ kind: "forbidden" });
    const suspended = await createUser({ status: "SUSPENDED" });
    await expect(exportUsageCsv({ actor: suspended, as: "member", input: {}, now })).rejects.toMatchObject({ kind: "forbidden" });

    const admin = await createUser({ role: "ADMIN" });
    const theirs = await readCsv((await exportUsageCsv({ actor: admin, as: "admin", input: { org: other.organization.id }, now })).stream);
    expect(theirs.slice(1).map((row) => row[0]).sort()).toEqual(["their_0", "their_1", "their_2", "their_3", "their_4"]);
  });
});
