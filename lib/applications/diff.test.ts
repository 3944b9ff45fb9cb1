import { describe, expect, it } from "vitest";
import { describeSnapshot, diffSnapshots } from "@/lib/applications/diff";
import { answersSchema, flattenFormValues, unflattenFormValues } from "@/lib/applications/schema";
import { assertTransition, canTransition } from "@/lib/applications/status";

const base = {
  productName: "Drafts",
  track: "STANDARD",
  category: { id: "c1", name: "Copywriting aid" },
  answers: { misusePlan: { safeguards: ["HUMAN_IN_THE_LOOP"] }, endUsers: { authenticated: true, expectedUsers: 1200 } },
};

describe("version diff", () => {
  it("reports no changes between identical snapshots", () => {
    expect(diffSnapshots(base, structuredClone(base))).toEqual([]);
  });

  it("labels changed fields and formats options, booleans and numbers", () => {
    const after = {
      ...base,
      category: { id: "c2", name: "Education" },
      answers: { misusePlan: { safeguards: ["HUMAN_IN_THE_LOOP", "CONTENT_FILTERING"] }, endUsers: { authenticated: false, expectedUsers: 1200 } },
    };
    expect(diffSnapshots(base, after)).toEqual([
      { path: "category.name", label: "Category", before: "Copywriting aid", after: "Education" },
      { path: "answers.misusePlan.safeguards", label: "4. Misuse plan: safeguards in use", before: "Human in the loop", after: "Human in the loop, Content filtering" },
      { path: "answers.endUsers.authenticated", label: "5. End users: are end users authenticated?", before: "Yes", after: "No" },
    ]);
  });

  it("treats the first version as all additions and describes a snapshot in form order", () => {
    expect(diffSnapshots(null, base).map((change) => change.before)).toEqual(["", "", "", "", "", ""]);
    expect(describeSnapshot(base).map((entry) => entry.value)).toEqual(["Drafts", "Copywriting aid", "Standard", "Human in the loop", "Yes", "1,200"]);
  });
});

describe("status transitions", () => {
  it("only an application with requested changes can be resubmitted", () => {
    expect(canTransition("CHANGES_REQUESTED", "resubmit")).toBe(true);
    for (const status of ["DRAFT", "SUBMITTED", "IN_REVIEW", "APPROVED", "REJECTED", "WITHDRAWN"] as const) {
      expect(() => assertTransition(status, "resubmit")).toThrow(/Only an application with requested changes can be resubmitted/);
    }
  });

  it("a withdrawn application cannot be submitted or edited", () => {
    expect(() => assertTransition("WITHDRAWN", "submit")).toThrow(/It is withdrawn/);
    expect(() => assertTransition("WITHDRAWN", "edit")).toThrow(/can be edited/);
  });
});

describe("answers schema", () => {
  it("needs at least one safeguard and a real go-live date", () => {
    const result = answersSchema.safeParse({ misusePlan: { safeguards: [] }, goLiveDate: "2027-13-45" });
    expect(result.success).toBe(false);
    const messages = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(messages).toContain("misusePlan.safeguards: Choose at least one safeguard.");
    expect(messages).toContain("goLiveDate: Enter a real calendar date.");
  });
});

describe("form values", () => {
  it("flattening stored answers into form names and back gives the same nesting", () => {
    const stored = { productName: "P", answers: { risk: { sensitiveDomains: ["HEALTH"], harms: "x" }, endUsers: { authenticated: true, expectedUsers: 3 } } };
    const flat = flattenFormValues(stored);
    expect(flat).toEqual({
      productName: "P",
      "answers.risk.sensitiveDomains": ["HEALTH"],
      "answers.risk.harms": "x",
      "answers.endUsers.authenticated": "true",
      "answers.endUsers.expectedUsers": "3",
    });
    expect(unflattenFormValues(flat)).toEqual({
      productName: "P",
      answers: { risk: { sensitiveDomains: ["HEALTH"], harms: "x" }, endUsers: { authenticated: "true", expectedUsers: "3" } },
    });
  });
});
