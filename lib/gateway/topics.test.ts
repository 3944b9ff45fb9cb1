import { describe, expect, it } from "vitest";
import { viewOf } from "./refusals";
import { checkTopic, isOnTopic, matchedTopic } from "./topics";

const topics = [
  { name: "Billing", keywords: ["invoice", "refund policy"] },
  { name: "C++", keywords: ["c++"] },
];

describe("topic check", () => {
  it("treats every request as on-topic when no topics are set", () => {
    expect(isOnTopic("anything at all", [])).toBe(true);
  });

  it("matches whole words and phrases case-insensitively", () => {
    expect(matchedTopic("Where is my INVOICE?", topics)).toBe("Billing");
    expect(matchedTopic("what is your Refund\n policy", topics)).toBe("Billing");
    expect(matchedTopic("I write c++ daily", topics)).toBe("C++");
    expect(matchedTopic("invoices and refunds", topics)).toBeNull();
    expect(matchedTopic("reinvoice", topics)).toBeNull();
  });

  it("refuses an off-topic request with the off_topic code", () => {
    let refused: unknown;
    try {
      checkTopic("tell me a joke", topics);
    } catch (error) {
      refused = error;
    }
    expect(viewOf(refused, "req_topic")).toMatchObject({ status: 400, code: "off_topic", countsTowardLimits: true });
    expect(viewOf(refused, "req_topic").body.error.message).toContain("Billing, C++");
    expect(() => checkTopic("my invoice", topics)).not.toThrow();
  });
});
