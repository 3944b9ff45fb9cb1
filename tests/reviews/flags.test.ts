import { describe, expect, it } from "vitest";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { computeFlags, mergeSuggestedScopes, summarizeScores } from "@/lib/reviews/flags";
import { reviewInputFromForm, reviewInputSchema, scopesFromForm } from "@/lib/reviews/schema";
import { keyScopesSchema } from "@/lib/keys/scopes";
import { scoresWith } from "@/tests/support/review-factories";

const thresholds = { highRiskThreshold: 4, weakMisusePlanThreshold: 2 };

describe("score summaries and flags", () => {
  it("reports each question's spread and flags a spread of 2 or more", () => {
    const summary = summarizeScores([scoresWith({ risk: 1 }), scoresWith({ risk: 3 }), scoresWith({ risk: 2 })]);
    expect(summary.find((row) => row.key === "risk")).toMatchObject({ min: 1, max: 3, spread: 2, average: 2, isDisagreement: true });
    expect(summary.find((row) => row.key === "endUsers")).toMatchObject({ spread: 0, isDisagreement: false });
  });

  it("flags high risk at the thresholds, not below them", () => {
    expect(computeFlags([scoresWith({ risk: 4 }), scoresWith({ risk: 4 })], thresholds).isHighRisk).toBe(true);
    expect(computeFlags([scoresWith({ risk: 4 }), scoresWith({ risk: 3 })], thresholds).isHighRisk).toBe(false);
    expect(computeFlags([scoresWith({ misusePlan: 2 }), scoresWith({ misusePlan: 2 })], thresholds).isHighRisk).toBe(true);
    expect(computeFlags([scoresWith({ misusePlan: 3 }), scoresWith({ misusePlan: 2 })], thresholds).isHighRisk).toBe(false);
    expect(computeFlags([], thresholds)).toEqual({ hasDisagreement: false, isHighRisk: false });
  });
});

describe("scopes offered to the approving admin", () => {
  it("fall back to the development defaults when the category has none", () => {
    expect(mergeSuggestedScopes({}, [])).toEqual(defaultDevelopmentScopes);
  });

  it("start from the category's defaults and take the strictest of the reviewers' suggestions", () => {
    const category = { ...defaultDevelopmentScopes, requestsPerMinute: 100, inputFilter: "off" };
    const merged = mergeSuggestedScopes(category, [{ requestsPerMinute: 30, inputFilter: "standard" }, { requestsPerMinute: 50, requireEndUserId: true, inputFilter: "strict" }]);
    expect(merged).toMatchObject({ requestsPerMinute: 30, inputFilter: "strict", requireEndUserId: true, maxPromptTokens: defaultDevelopmentScopes.maxPromptTokens });
    expect(keyScopesSchema.safeParse(merged).success).toBe(true);
  });
});

describe("form parsing", () => {
  it("reads the scorecard form, leaving out unsuggested scopes", () => {
    const form: Record<string, unknown> = { applicationId: "app", recommendation: "APPROVE", "scope.requestsPerMinute": "25", "scope.maxPromptTokens": "" };
    for (const key of ["supportedUseCase", "openEndedness", "risk", "misusePlan", "endUsers"]) {
      form[`${key}.score`] = "3";
      form[`${key}.confidence`] = "LOW";
      form[`${key}.note`] = "";
    }
    const parsed = reviewInputSchema.parse(reviewInputFromForm(form));
    expect(parsed.suggestedScopes).toEqual({ requestsPerMinute: 25 });
    expect(parsed.scores.risk).toEqual({ score: 3, confidence: "LOW", note: "" });
  });

  it("reads the approval form into valid scopes, and an invalid one fails with the field named", () => {
    const form = {
      "scope.models": "gatehouse-ngram, other",
      "scope.endpoints": ["completions", "chat.completions"],
      "scope.maxPromptTokens": "1000",
      "scope.maxCompletionTokens": "200",
      "scope.requestsPerMinute": "20",
      "scope.tokensPerMinute": "5000",
      "scope.monthlyTokenQuota": "100000",
      "scope.perEndUserRequestsPerMinute": "",
      "scope.inputFilter": "strict",
      "scope.outputFilter": "standard",
      "scope.topics": "Support: refund, shipping",
      "scope.expiresAt": "2027-06-30",
    };
    expect(keyScopesSchema.parse(scopesFromForm(form))).toMatchObject({
      models: ["gatehouse-ngram", "other"],
      perEndUserRequestsPerMinute: null,
      topics: [{ name: "Support", keywords: ["refund", "shipping"] }],
      expiresAt: "2027-06-30T23:59:59Z",
      requireEndUserId: false,
    });
    const invalid = keyScopesSchema.safeParse(scopesFromForm({ ...form, "scope.endpoints": undefined }));
    expect(invalid.success).toBe(false);
    expect(invalid.error?.issues[0]?.path).toEqual(["endpoints"]);
  });
});
