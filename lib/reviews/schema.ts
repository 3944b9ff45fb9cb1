// The five-question scorecard, its anchors, and the inputs of reviews and review settings (decisions: lib/decisions).
import { z } from "zod";
import { formNumber, idSchema } from "@/lib/validation";
import { readScopeFields } from "@/lib/keys/scope-form";
import { apiEndpoints, contentFilterLevels, keyScopesSchema, type KeyScopes } from "@/lib/keys/scopes";

export const questionKeys = ["supportedUseCase", "openEndedness", "risk", "misusePlan", "endUsers"] as const;
export type QuestionKey = (typeof questionKeys)[number];

export interface Question {
  key: QuestionKey;
  title: string;
  prompt: string;
  /** Which way the scale points: every question but risk scores the better answer higher. */
  direction: "higher-is-better" | "higher-is-riskier";
  anchors: Record<1 | 3 | 5, string>;
}

export const questions: Record<QuestionKey, Question> = {
  supportedUseCase: {
    key: "supportedUseCase",
    title: "Supported use case",
    prompt: "Does the product fit a supported category of the use-case policy?",
    direction: "higher-is-better",
    anchors: {
      1: "Falls in a not-supported category, or the description hides what the product really does.",
      3: "A case-by-case category, or a supported one with parts that stretch beyond it.",
      5: "Squarely inside one supported category, described concretely with real examples.",
    },
  },
  openEndedness: {
    key: "openEndedness",
    title: "Open-endedness",
    prompt: "How constrained are the inputs and outputs?",
    direction: "higher-is-better",
    anchors: {
      1: "Free-form conversation on any topic, with no limits on who writes prompts or what comes back.",
      3: "Free text within a topic, with some limits (length, templates) but users write their own prompts.",
      5: "Narrow, templated inputs and short, structured outputs; end users never write prompts directly.",
    },
  },
  risk: {
    key: "risk",
    title: "Risk",
    prompt: "How much harm could a wrong or misused output cause? (5 is the HIGHEST risk.)",
    direction: "higher-is-riskier",
    anchors: {
      1: "Low stakes: mistakes are cheap, caught before anyone relies on them, and touch no sensitive domain.",
      3: "Moderate: mistakes could mislead or upset someone, but no health, legal, financial or safety decisions.",
      5: "High stakes: health, legal, financial, safety, elections or minors, or outputs acted on without review.",
    },
  },
  misusePlan: {
    key: "misusePlan",
    title: "Misuse plan",
    prompt: "How well would the applicant prevent, detect and respond to misuse?",
    direction: "higher-is-better",
    anchors: {
      1: "No plan, or generic promises with no concrete safeguard, monitoring or response.",
      3: "Some concrete safeguards, but gaps in monitoring or in what happens when abuse is found.",
      5: "Layered safeguards that fit the risks (human review, filtering, limits), active monitoring and a response plan.",
    },
  },
  endUsers: {
    key: "endUsers",
    title: "End users",
    prompt: "How well are the end users known, authenticated and protected?",
    direction: "higher-is-better",
    anchors: {
      1: "Anonymous members of the public, minors possible, no per-user limits or way to act on abuse.",
      3: "A known audience, partly authenticated, with some per-user limits.",
      5: "Authenticated, known users (staff or vetted customers), per-user ids and limits, no minors.",
    },
  },
};

export const confidenceLevels = ["LOW", "MEDIUM", "HIGH"] as const;
export type Confidence = (typeof confidenceLevels)[number];

export const recommendations = ["APPROVE", "APPROVE_WITH_CONDITIONS", "REQUEST_CHANGES", "REJECT"] as const;
export type RecommendationValue = (typeof recommendations)[number];

export const recommendationLabels: Record<RecommendationValue, string> = {
  APPROVE: "Approve",
  APPROVE_WITH_CONDITIONS: "Approve with conditions",
  REQUEST_CHANGES: "Request changes",
  REJECT: "Reject",
};

export const questionScoreSchema = z
  .object({
    score: formNumber(z.number({ error: "Choose a score from 1 to 5." }).int("Choose a score from 1 to 5.").min(1, "Choose a score from 1 to 5.").max(5, "Choose a score from 1 to 5.")),
    confidence: z.enum(confidenceLevels, { error: "Choose your confidence." }),
    note: z.string().trim().max(2_000, "Keep the note under 2,000 characters.").default(""),
  })
  .superRefine((value, context) => {
    if ((value.score === 1 || value.score === 5) && value.note === "") {
      context.addIssue({ code: "custom", path: ["note"], message: "Explain an extreme score (1 or 5) in a note." });
    }
  });
export type QuestionScore = z.infer<typeof questionScoreSchema>;

export const scoresSchema = z.object({
  supportedUseCase: questionScoreSchema,
  openEndedness: questionScoreSchema,
  risk: questionScoreSchema,
  misusePlan: questionScoreSchema,
  endUsers: questionScoreSchema,
});
export type Scores = z.infer<typeof scoresSchema>;

/** What a reviewer may suggest for an approval: any subset of the key scopes. */
export const suggestedScopesSchema = keyScopesSchema.partial();
export type SuggestedScopes = z.infer<typeof suggestedScopesSchema>;

export const reviewInputSchema = z.object({
  applicationId: idSchema(),
  scores: scoresSchema,
  recommendation: z.enum(recommendations, { error: "Choose a recommendation." }),
  suggestedScopes: suggestedScopesSchema.nullable().default(null),
});
export type ReviewInput = z.infer<typeof reviewInputSchema>;

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

/** Turns the flat scorecard form (risk.score, risk.confidence, risk.note, scope.*) into reviewInputSchema's shape. */
export function reviewInputFromForm(form: Record<string, unknown>): unknown {
  const scores = Object.fromEntries(
    questionKeys.map((key) => [key, { score: emptyToUndefined(form[`${key}.score`]), confidence: emptyToUndefined(form[`${key}.confidence`]), note: form[`${key}.note`] ?? "" }]),
  );
  // A suggestion names only what the reviewer has a view on: blank limits and filters, and an unticked box, say nothing.
  const scopes = readScopeFields(form);
  const suggested = Object.fromEntries(
    (["maxPromptTokens", "maxCompletionTokens", "requestsPerMinute", "tokensPerMinute", "monthlyTokenQuota", "perEndUserRequestsPerMinute", "inputFilter", "outputFilter"] as const)
      .map((key) => [key, scopes[key]] as const)
      .filter(([, value]) => value !== undefined && value !== null),
  );
  if (scopes.requireEndUserId === true) suggested.requireEndUserId = true;
  return {
    applicationId: form.applicationId,
    scores,
    recommendation: emptyToUndefined(form.recommendation),
    suggestedScopes: Object.keys(suggested).length > 0 ? suggested : null,
  };
}

/** Turns the admin's approval form into a KeyScopes candidate (validated by keyScopesSchema). */
export function scopesFromForm(form: Record<string, unknown>): unknown {
  return readScopeFields(form);
}

export const reviewSettingsSchema = z.object({
  requiredReviewsAccess: formNumber(z.number({ error: "Enter a number." }).int("Use a whole number.").min(1, "At least 1 review is required.").max(5, "At most 5 reviews.")),
  requiredReviewsProduction: formNumber(z.number({ error: "Enter a number." }).int("Use a whole number.").min(1, "At least 1 review is required.").max(5, "At most 5 reviews.")),
  // Flag for an admin when the average risk score is at least this (5 = highest risk).
  highRiskThreshold: formNumber(z.number({ error: "Enter a number." }).min(1, "Use a score from 1 to 5.").max(5, "Use a score from 1 to 5.")),
  // Flag for an admin when the average misuse-plan score is at most this.
  weakMisusePlanThreshold: formNumber(z.number({ error: "Enter a number." }).min(1, "Use a score from 1 to 5.").max(5, "Use a score from 1 to 5.")),
  // Time to decision targets (hours from submission): the calibration page and the overdue reminders use them.
  decisionTargetHoursAccess: formNumber(z.number({ error: "Enter a number." }).int("Use a whole number of hours.").min(1, "At least 1 hour.").max(2_160, "At most 2,160 hours (90 days).")).default(24),
  decisionTargetHoursProduction: formNumber(z.number({ error: "Enter a number." }).int("Use a whole number of hours.").min(1, "At least 1 hour.").max(2_160, "At most 2,160 hours (90 days).")).default(120),
  // Automatic assignment gives no reviewer more open assignments (assigned, not yet reviewed) than this.
  maxOpenAssignmentsPerReviewer: formNumber(z.number({ error: "Enter a number." }).int("Use a whole number.").min(1, "At least 1 assignment.").max(500, "At most 500 assignments.")).default(10),
});
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;

export const defaultReviewSettings: ReviewSettings = {
  requiredReviewsAccess: 1,
  requiredReviewsProduction: 2,
  highRiskThreshold: 4,
  weakMisusePlanThreshold: 2,
  decisionTargetHoursAccess: 24,
  decisionTargetHoursProduction: 120,
  maxOpenAssignmentsPerReviewer: 10,
};

export const queueFilterSchema = z.object({
  stage: z.enum(["ACCESS", "PRODUCTION"]).optional().catch(undefined),
  track: z.enum(["STANDARD", "ACADEMIC"]).optional().catch(undefined),
  category: z.string().trim().max(100).optional().catch(undefined),
  status: z.enum(["SUBMITTED", "IN_REVIEW"]).optional().catch(undefined),
  assigned: z.enum(["me", "none"]).optional().catch(undefined),
  disagreement: z.literal("1").optional().catch(undefined),
  highRisk: z.literal("1").optional().catch(undefined),
  // The search language of ./search.ts; its own parser reports a query that is too long.
  q: z.string().trim().max(1_000).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type QueueFilter = z.infer<typeof queueFilterSchema>;

export { apiEndpoints, contentFilterLevels };
export type { KeyScopes };
