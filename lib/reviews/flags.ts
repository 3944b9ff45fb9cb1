// Pure rules over submitted scores: per-question spread, the disagreement flag and the high-risk flag.
import { defaultDevelopmentScopes, keyScopesSchema, type ContentFilterLevel, type KeyScopes } from "@/lib/keys/scopes";
import { questionKeys, type QuestionKey, type ReviewSettings, type Scores, type SuggestedScopes } from "./schema";

/** Scores on one question that differ by this much or more are a disagreement. */
export const DISAGREEMENT_SPREAD = 2;

export interface QuestionSummary {
  key: QuestionKey;
  scores: number[];
  min: number;
  max: number;
  spread: number;
  average: number;
  isDisagreement: boolean;
}

export function summarizeScores(all: Scores[]): QuestionSummary[] {
  return questionKeys.map((key) => {
    const scores = all.map((scores) => scores[key].score);
    if (scores.length === 0) return { key, scores, min: 0, max: 0, spread: 0, average: 0, isDisagreement: false };
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    const average = scores.reduce((sum, score) => sum + score, 0) / scores.length;
    return { key, scores, min, max, spread: max - min, average, isDisagreement: max - min >= DISAGREEMENT_SPREAD };
  });
}

export function computeFlags(all: Scores[], settings: Pick<ReviewSettings, "highRiskThreshold" | "weakMisusePlanThreshold">) {
  if (all.length === 0) return { hasDisagreement: false, isHighRisk: false };
  const summary = summarizeScores(all);
  const average = (key: QuestionKey) => summary.find((row) => row.key === key)?.average ?? 0;
  return {
    hasDisagreement: summary.some((row) => row.isDisagreement),
    isHighRisk: average("risk") >= settings.highRiskThreshold || average("misusePlan") <= settings.weakMisusePlanThreshold,
  };
}

const filterStrictness: Record<ContentFilterLevel, number> = { off: 0, standard: 1, strict: 2 };

/**
 * The scopes offered to an admin approving: the category's defaults (or the development defaults), tightened by
 * every reviewer's suggestion — the lowest limit, the strictest filter, end-user ids if anyone asked for them.
 */
export function mergeSuggestedScopes(categoryDefaults: unknown, suggestions: SuggestedScopes[]): KeyScopes {
  const parsed = keyScopesSchema.safeParse(categoryDefaults);
  const merged: KeyScopes = structuredClone(parsed.success ? parsed.data : defaultDevelopmentScopes);
  const numeric = ["maxPromptTokens", "maxCompletionTokens", "requestsPerMinute", "tokensPerMinute", "monthlyTokenQuota"] as const;
  for (const suggestion of suggestions) {
    for (const key of numeric) {
      const value = suggestion[key];
      if (value !== undefined) merged[key] = Math.min(merged[key], value);
    }
    if (suggestion.perEndUserRequestsPerMinute != null) {
      merged.perEndUserRequestsPerMinute = Math.min(merged.perEndUserRequestsPerMinute ?? Infinity, suggestion.perEndUserRequestsPerMinute);
    }
    if (suggestion.requireEndUserId) merged.requireEndUserId = true;
    for (const key of ["inputFilter", "outputFilter"] as const) {
      const value = suggestion[key];
      if (value && filterStrictness[value] > filterStrictness[merged[key]]) merged[key] = value;
    }
    if (suggestion.models && suggestion.models.length > 0) {
      const narrowed = merged.models.filter((model) => suggestion.models?.includes(model));
      if (narrowed.length > 0) merged.models = narrowed;
    }
    if (suggestion.endpoints && suggestion.endpoints.length > 0) {
      const narrowed = merged.endpoints.filter((endpoint) => suggestion.endpoints?.includes(endpoint));
      if (narrowed.length > 0) merged.endpoints = narrowed;
    }
    for (const topic of suggestion.topics ?? []) {
      if (!merged.topics.some((existing) => existing.name === topic.name)) merged.topics.push(topic);
    }
  }
  return merged;
}
