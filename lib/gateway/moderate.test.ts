import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { createTestKey } from "@/tests/support/gateway-factories";
import { EXCERPT_CHARS, moderateInput, moderateOutput, type ModerationContext } from "./moderate";
import { isRefusal, viewOf } from "./refusals";
import { createRecorder, databaseWriter, type RecordRow } from "./usage";

/** A context that keeps what the step records, as the pipeline's does through the recorder. */
function contextFor(apiKeyId = "key_1", organizationId = "org_1"): ModerationContext & { rows: RecordRow[] } {
  const rows: RecordRow[] = [];
  return { requestId: "req_mod", apiKeyId, organizationId, record: (row) => rows.push(row), rows };
}

async function refusalOf(work: Promise<unknown>) {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!isRefusal(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("input moderation", () => {
  it("blocks flagged input with a 400 content_policy_violation and records a BLOCKED event", async () => {
    const context = contextFor();
    const error = await refusalOf(moderateInput("I will kill you", "standard", context));
    expect(viewOf(error, "req_mod")).toMatchObject({ status: 400, countsTowardLimits: true, body: { error: { code: "content_policy_violation", type: "invalid_request_error" } } });
    expect(viewOf(error, "req_mod").body.error.message).toContain("violence");
    expect(context.rows).toHaveLength(1);
    const [row] = context.rows;
    expect(row?.kind).toBe("moderation");
    expect(row?.entry).toMatchObject({ requestId: "req_mod", apiKeyId: "key_1", organizationId: "org_1", direction: "INPUT", action: "BLOCKED", excerpt: "I will kill you" });
    expect(row?.kind === "moderation" && row.entry.categories).toContain("violence");
    expect(row?.kind === "moderation" && row.entry.scores.violence).toBeGreaterThan(0);
    expect(row?.entry.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("lets clean input through and skips the check when the filter is off, recording nothing", async () => {
    const context = contextFor();
    await expect(moderateInput("What a lovely morning.", "strict", context)).resolves.toBeUndefined();
    await expect(moderateInput("I will kill you", "off", context)).resolves.toBeUndefined();
    expect(context.rows).toEqual([]);
  });

  it("is stricter at strict than at standard", async () => {
    const context = contextFor();
    await expect(moderateInput("damn it", "standard", context)).resolves.toBeUndefined();
    expect((await refusalOf(moderateInput("damn it", "strict", context))).code).toBe("content_policy_violation");
  });

  it("finds a flagged phrase deep inside a long prompt, which is classified in windows", async () => {
    const context = contextFor();
    const prose = "The river runs past the old mill and the children walk along it to school. ".repeat(700);
    await refusalOf(moderateInput(`${prose}I will kill you. ${prose}`, "standard", context));
    expect(context.rows.map((row) => row.entry)).toMatchObject([{ direction: "INPUT", action: "BLOCKED", excerpt: prose.slice(0, EXCERPT_CHARS) }]);
    await expect(moderateInput(`${prose}${prose}`, "standard", context)).resolves.toBeUndefined();
  });

  it("keeps at most EXCERPT_CHARS of the text, never half an emoji", async () => {
    const context = contextFor();
    const text = `I will kill you ${"x".repeat(EXCERPT_CHARS - 17)}😀 and more ${"y".repeat(2_000)}`;
    await refusalOf(moderateInput(text, "standard", context));
    const excerpt = context.rows[0]?.kind === "moderation" ? context.rows[0].entry.excerpt : "";
    expect(excerpt.length).toBe(EXCERPT_CHARS);
    expect(excerpt.isWellFormed()).toBe(true);
    expect(excerpt.startsWith("I will kill you")).toBe(true);
  });
});

describe("output moderation", () => {
  it("redacts flagged spans and records a REDACTED event", async () => {
    const context = contextFor();
    const result = await moderateOutput("Fine. I will kill you tomorrow.", "standard", context);
    expect(result.isFlagged).toBe(true);
    expect(result.text).toContain("[redacted]");
    expect(result.text).not.toContain("kill");
    expect(context.rows.map((row) => row.entry)).toMatchObject([{ direction: "OUTPUT", action: "REDACTED", excerpt: "Fine. I will kill you tomorrow." }]);
  });

  it("leaves clean output, empty output and unfiltered keys alone", async () => {
    const context = contextFor();
    expect(await moderateOutput("A quiet river.", "strict", context)).toEqual({ text: "A quiet river.", isFlagged: false });
    expect(await moderateOutput("", "strict", context)).toEqual({ text: "", isFlagged: false });
    expect(await moderateOutput("I will kill you", "off", context)).toEqual({ text: "I will kill you", isFlagged: false });
    expect(context.rows).toEqual([]);
  });
});

describe("moderation events reach the database", () => {
  it("through the recorder, for input and output, under the key's organisation", async () => {
    const key = await createTestKey();
    const recorder = createRecorder(databaseWriter, { intervalMs: 600_000 });
    const context: ModerationContext = { requestId: "req_stored", apiKeyId: key.keyId, organizationId: key.organizationId, record: (row) => recorder.record(row) };
    await refusalOf(moderateInput("I will kill you", "standard", context));
    await moderateOutput("Fine. I will kill you tomorrow.", "standard", context);
    await recorder.flush();
    const events = await db.moderationEvent.findMany({ where: { apiKeyId: key.keyId }, orderBy: { direction: "asc" } });
    expect(events).toMatchObject([
      { requestId: "req_stored", organizationId: key.organizationId, direction: "INPUT", action: "BLOCKED", excerpt: "I will kill you", isSanitized: false },
      { requestId: "req_stored", organizationId: key.organizationId, direction: "OUTPUT", action: "REDACTED", excerpt: "Fine. I will kill you tomorrow.", isSanitized: false },
    ]);
    expect(events[0]?.categories).toContain("violence");
  });

  it("even when the flagged text carries a NUL byte the database refuses: stored sanitised, with the other rows", async () => {
    const key = await createTestKey();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const recorder = createRecorder(databaseWriter, { intervalMs: 600_000 });
    const context: ModerationContext = { requestId: "req_nul", apiKeyId: key.keyId, organizationId: key.organizationId, record: (row) => recorder.record(row) };
    await refusalOf(moderateInput("I will kill you\u0000 tonight", "standard", context));
    await refusalOf(moderateInput("I will kill you", "standard", { ...context, requestId: "req_clean" }));
    await recorder.flush();
    const events = await db.moderationEvent.findMany({ where: { apiKeyId: key.keyId }, orderBy: { requestId: "asc" } });
    expect(events).toMatchObject([
      { requestId: "req_clean", excerpt: "I will kill you", isSanitized: false },
      { requestId: "req_nul", direction: "INPUT", action: "BLOCKED", excerpt: "I will kill you\uFFFD tonight", isSanitized: true },
    ]);
  });
});
