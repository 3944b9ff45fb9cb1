// An OpenAI-compatible moderation service (OpenAI's omni-moderation, or a self-hosted model behind the same API) in
// place of the built-in classifier: MODERATION_BASE_URL / MODERATION_API_KEY. Its answer becomes the same outcome the
// built-in classifier gives: a category flags when the service flags it, or when its score reaches the key's level's
// threshold (so "strict" stays stricter). Any failure throws; the gateway refuses the request (fail closed).
import { z } from "zod";
import { discard, isOk, postJson, readBody } from "@/lib/http/post-json";
import { moderationCategories, moderationThresholds, type ModerationCategory, type ModerationLevel, type ModerationOutcome, type ModerationResult } from "./classify";

export interface ExternalModerationConfig {
  /** Up to and including /v1: `${baseUrl}/moderations` is called. */
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
}

/** Results for a batch of inputs are small; a longer answer is a failure, not something to hold in memory. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

const score = z.number().catch(0);
const answerSchema = z.object({
  results: z.array(
    z.object({
      categories: z.record(z.string(), z.boolean().catch(false)).catch({}),
      category_scores: z.record(z.string(), score).catch({}),
    }),
  ),
});

function toOutcome(answer: z.infer<typeof answerSchema>["results"][number], level: ModerationLevel): ModerationOutcome {
  const threshold = moderationThresholds[level];
  const result: ModerationResult = { flagged: false, categories: {} as ModerationResult["categories"], category_scores: {} as ModerationResult["category_scores"], category_applied_input_types: {} as ModerationResult["category_applied_input_types"] };
  for (const category of moderationCategories) {
    const raw = answer.category_scores[category] ?? 0;
    const value = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
    result.category_scores[category] = value;
    result.categories[category] = level !== "off" && (answer.categories[category] === true || value >= threshold);
    result.category_applied_input_types[category] = ["text"];
  }
  const flaggedCategories: ModerationCategory[] = moderationCategories.filter((category) => result.categories[category]);
  result.flagged = flaggedCategories.length > 0;
  return { result, flagged: result.flagged, flaggedCategories };
}

/** Classifies `inputs` (one result each, in order) with the service; throws on any failure or malformed answer. */
export async function moderateExternally(config: ExternalModerationConfig, inputs: string[], level: ModerationLevel): Promise<ModerationOutcome[]> {
  const signal = AbortSignal.timeout(config.timeoutMs);
  const response = await postJson(`${config.baseUrl}/moderations`, { model: config.model, input: inputs }, { headers: config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}, signal });
  if (!isOk(response)) {
    discard(response);
    throw new Error(`the moderation service answered ${response.statusCode}`);
  }
  const parsed = answerSchema.safeParse(JSON.parse(await readBody(response, MAX_ANSWER_BYTES)));
  if (!parsed.success || parsed.data.results.length !== inputs.length) throw new Error("the moderation service's answer is not in OpenAI's shape");
  return parsed.data.results.map((answer) => toOutcome(answer, level));
}
