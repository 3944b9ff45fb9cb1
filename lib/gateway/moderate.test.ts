import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey } from "@/tests/support/gateway-factories";
import { moderateInput, moderateOutput } from "./moderate";

async function contextFor() {
  const key = await createTestKey();
  return { requestId: "req_mod", apiKeyId: key.keyId, organizationId: key.organizationId };
}

describe("input moderation", () => {
  it("blocks flagged input with content_policy_violation and records the event", async () => {
    const context = await contextFor();
    await expect(moderateInput("I will kill you", "standard", context)).rejects.toMatchObject({ status: 400, code: "content_policy_violation" });
    const [event] = await db.moderationEvent.findMany({ where: { apiKeyId: context.apiKeyId } });
    expect(event).toMatchObject({ direction: "INPUT", action: "BLOCKED", requestId: "req_mod", excerpt: "I will kill you" });
    expect(event?.categories).toContain("violence");
  });

  it("lets clean input through and skips the check when the filter is off", async () => {
    const context = await contextFor();
    await expect(moderateInput("What a lovely morning.", "strict", context)).resolves.toBeUndefined();
    await expect(moderateInput("I will kill you", "off", context)).resolves.toBeUndefined();
    expect(await db.moderationEvent.count({ where: { apiKeyId: context.apiKeyId } })).toBe(0);
  });

  it("is stricter at strict than at standard", async () => {
    const context = await contextFor();
    await expect(moderateInput("damn it", "standard", context)).resolves.toBeUndefined();
    await expect(moderateInput("damn it", "strict", context)).rejects.toMatchObject({ code: "content_policy_violation" });
  });
});

describe("output moderation", () => {
  it("redacts flagged spans and records a REDACTED event", async () => {
    const context = await contextFor();
    const result = await moderateOutput("Fine. I will kill you tomorrow.", "standard", context);
    expect(result.isFlagged).toBe(true);
    expect(result.text).toContain("[redacted]");
    expect(result.text).not.toContain("kill");
    expect(await db.moderationEvent.findMany({ where: { apiKeyId: context.apiKeyId } })).toMatchObject([{ direction: "OUTPUT", action: "REDACTED" }]);
  });

  it("leaves clean output and unfiltered keys alone", async () => {
    const context = await contextFor();
    expect(await moderateOutput("A quiet river.", "strict", context)).toEqual({ text: "A quiet river.", isFlagged: false });
    expect(await moderateOutput("I will kill you", "off", context)).toEqual({ text: "I will kill you", isFlagged: false });
  });
});
