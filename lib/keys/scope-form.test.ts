import { describe, expect, it } from "vitest";
import { categoryScopesFormSchema } from "@/lib/categories/schema";
import { reviewInputFromForm } from "@/lib/reviews/schema";
import { readScopeFields, scopeErrorsOf } from "./scope-form";
import { keyScopesSchema } from "./scopes";

const grantForm = {
  "scope.models": "gatehouse-ngram\nupstream-small, upstream-large",
  "scope.endpoints": ["chat.completions", "models"],
  "scope.maxPromptTokens": "2048",
  "scope.maxCompletionTokens": "16",
  "scope.requestsPerMinute": "60",
  "scope.tokensPerMinute": "20000",
  "scope.monthlyTokenQuota": "1000000",
  "scope.perEndUserRequestsPerMinute": "",
  "scope.requireEndUserId": "on",
  "scope.topics": "Orders: order, delivery\nRefunds: refund",
  "scope.inputFilter": "standard",
  "scope.outputFilter": "strict",
  "scope.expiresAt": "2027-06-30",
};

describe("the scope editor's form reader", () => {
  it("reads a whole grant: models by line or comma, topics, a blank per-user limit as none, a date as the day's end", () => {
    expect(keyScopesSchema.parse(readScopeFields(grantForm))).toEqual({
      models: ["gatehouse-ngram", "upstream-small", "upstream-large"],
      endpoints: ["chat.completions", "models"],
      maxPromptTokens: 2048,
      maxCompletionTokens: 16,
      requestsPerMinute: 60,
      tokensPerMinute: 20000,
      monthlyTokenQuota: 1_000_000,
      requireEndUserId: true,
      perEndUserRequestsPerMinute: null,
      topics: [
        { name: "Orders", keywords: ["order", "delivery"] },
        { name: "Refunds", keywords: ["refund"] },
      ],
      inputFilter: "standard",
      outputFilter: "strict",
      expiresAt: "2027-06-30T23:59:59Z",
    });
  });

  it("leaves blank limits out of a reviewer's suggestion, so only what they have a view on is suggested", () => {
    const input = reviewInputFromForm({ applicationId: "a1", "scope.requestsPerMinute": "30", "scope.maxPromptTokens": "", "scope.inputFilter": "" });
    expect(input).toMatchObject({ suggestedScopes: { requestsPerMinute: "30" } });
    expect(reviewInputFromForm({ applicationId: "a1" })).toMatchObject({ suggestedScopes: null });
  });

  it("reads the category defaults from unprefixed names with the same rules", () => {
    const form = Object.fromEntries(Object.entries(grantForm).map(([key, value]) => [key.replace("scope.", ""), value]));
    const parsed = categoryScopesFormSchema.parse({ ...form, id: "c1" });
    expect(parsed.models).toEqual(["gatehouse-ngram", "upstream-small", "upstream-large"]);
    expect(parsed.monthlyTokenQuota).toBe(1_000_000);
  });

  it("files a decision's or a review's errors under the scope they concern", () => {
    expect(scopeErrorsOf({ "scopes.models": ["Allow at least one model."], message: ["Say why."] }, "scopes.")).toEqual({ models: ["Allow at least one model."] });
  });
});
