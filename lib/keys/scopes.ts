// The scopes an approval grants and every API call is checked against; shared by decisions, keys and the gateway.
import { z } from "zod";
import { formNumber } from "@/lib/validation";

export const apiEndpoints = ["chat.completions", "completions", "models", "moderations"] as const;
export type ApiEndpoint = (typeof apiEndpoints)[number];

export const contentFilterLevels = ["off", "standard", "strict"] as const;
export type ContentFilterLevel = (typeof contentFilterLevels)[number];

export const topicSchema = z.object({
  name: z.string({ error: "Name the topic." }).trim().min(1, "Name the topic.").max(80, "Use at most 80 characters for a topic's name."),
  keywords: z
    .array(z.string({ error: "A keyword must be text." }).trim().min(1, "A keyword cannot be empty.").max(80, "Use at most 80 characters for a keyword."), { error: "List the topic's keywords." })
    .min(1, "List at least one keyword or phrase.")
    .max(100, "List at most 100 keywords for a topic."),
});
export type Topic = z.infer<typeof topicSchema>;

const positiveInt = (label: string, max: number) =>
  formNumber(z.number({ error: `${label} must be a number.` }).int(`${label} must be a whole number.`).min(1, `${label} must be at least 1.`).max(max, `${label} must be at most ${max}.`));

export const keyScopesSchema = z.object({
  models: z
    .array(z.string({ error: "A model name must be text." }).trim().min(1, "A model name cannot be empty.").max(200, "A model name is at most 200 characters."), { error: "Allow at least one model." })
    .min(1, "Allow at least one model.")
    .max(50, "Allow at most 50 models."),
  endpoints: z.array(z.enum(apiEndpoints, { error: "Choose from the listed endpoints." }), { error: "Allow at least one endpoint." }).min(1, "Allow at least one endpoint."),
  maxPromptTokens: positiveInt("Maximum prompt tokens", 1_000_000),
  maxCompletionTokens: positiveInt("Maximum completion tokens", 1_000_000),
  requestsPerMinute: positiveInt("Requests per minute", 1_000_000),
  tokensPerMinute: positiveInt("Tokens per minute", 100_000_000),
  monthlyTokenQuota: positiveInt("Monthly token quota", 10_000_000_000),
  requireEndUserId: z.boolean({ error: "Say whether an end-user id is required." }),
  // Requests per minute for each end user (only enforced when an end-user id is sent or required).
  perEndUserRequestsPerMinute: positiveInt("Requests per minute per end user", 1_000_000).nullable(),
  topics: z.array(topicSchema, { error: "List the topics as a list." }).max(50, "Allow at most 50 topics."),
  inputFilter: z.enum(contentFilterLevels, { error: "Choose a content filter level for inputs." }),
  outputFilter: z.enum(contentFilterLevels, { error: "Choose a content filter level for outputs." }),
  // ISO date-time after which keys under this grant are refused; null for no expiry.
  expiresAt: z.iso.datetime({ offset: true, error: "Enter the expiry as a real date (YYYY-MM-DD)." }).nullable(),
});
export type KeyScopes = z.infer<typeof keyScopesSchema>;

/**
 * Scopes being granted now (a decision, an appeal's approval): an expiry must still be ahead, or the applicant gets
 * an approval no key can ever be created under. Stored scopes are read with keyScopesSchema: they expire in time.
 */
export const grantedScopesSchema = keyScopesSchema.refine((scopes) => scopes.expiresAt === null || Date.parse(scopes.expiresAt) > Date.now(), {
  message: "Choose an expiry date from today on: this one has passed, and no key could be created under the approval.",
  path: ["expiresAt"],
});

/** Sandbox limits for a development key when nothing else is chosen. */
export const defaultDevelopmentScopes: KeyScopes = {
  models: ["gatehouse-ngram"],
  endpoints: ["chat.completions", "completions", "models", "moderations"],
  maxPromptTokens: 2_048,
  maxCompletionTokens: 256,
  requestsPerMinute: 60,
  tokensPerMinute: 20_000,
  monthlyTokenQuota: 1_000_000,
  requireEndUserId: false,
  perEndUserRequestsPerMinute: null,
  topics: [],
  inputFilter: "standard",
  outputFilter: "standard",
  expiresAt: null,
};

/** Parses scopes stored as JSON; a row that fails is a bug, so this throws. */
export function parseStoredScopes(value: unknown): KeyScopes {
  return keyScopesSchema.parse(value);
}

/** True when `granted` allows no more than `limit` on every axis (admins may grant less than asked). */
export function isWithin(granted: KeyScopes, limit: KeyScopes): boolean {
  const numeric = ["maxPromptTokens", "maxCompletionTokens", "requestsPerMinute", "tokensPerMinute", "monthlyTokenQuota"] as const;
  return (
    granted.models.every((model) => limit.models.includes(model)) &&
    granted.endpoints.every((endpoint) => limit.endpoints.includes(endpoint)) &&
    numeric.every((key) => granted[key] <= limit[key])
  );
}
