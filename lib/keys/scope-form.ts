// The scope editor's form fields and their one parser, shared by the decision form, the scorecard's suggested limits
// and the category defaults. Pure and client-safe: the same reading runs in the browser and in the server action.
import type { KeyScopes } from "./scopes";

export const numericScopeFields = [
  { name: "maxPromptTokens", label: "Max prompt tokens" },
  { name: "maxCompletionTokens", label: "Max completion tokens" },
  { name: "requestsPerMinute", label: "Requests per minute" },
  { name: "tokensPerMinute", label: "Tokens per minute" },
  { name: "monthlyTokenQuota", label: "Monthly token quota" },
] as const satisfies readonly { name: keyof KeyScopes; label: string }[];

const blank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");
const orUndefined = (value: unknown) => (blank(value) ? undefined : value);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : blank(value) ? [] : [String(value)]);

/** "Name: keyword, keyword" per line, as the topics textarea holds them. */
export function formatTopics(topics: KeyScopes["topics"]): string {
  return topics.map((topic) => `${topic.name}: ${topic.keywords.join(", ")}`).join("\n");
}

function parseTopics(value: unknown): { name: string; keywords: string[] }[] {
  return String(value ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = "", keywords = ""] = line.split(":");
      return { name: name.trim(), keywords: keywords.split(",").map((keyword) => keyword.trim()).filter(Boolean) };
    });
}

/**
 * Reads the editor's fields (named `${prefix}models`, `${prefix}endpoints`, ...) into a KeyScopes candidate for
 * keyScopesSchema (or a part of it) to validate. Models may be one per line or comma-separated; blank numbers and
 * filters are left out, so a suggestion can leave them open; a blank per-user limit or expiry means none.
 */
export function readScopeFields(form: Record<string, unknown>, prefix = "scope."): Record<string, unknown> {
  const field = (name: string) => form[`${prefix}${name}`];
  const expires = String(field("expiresAt") ?? "").trim();
  const candidate: Record<string, unknown> = {
    models: String(field("models") ?? "")
      .split(/[\n,]/)
      .map((model) => model.trim())
      .filter(Boolean),
    endpoints: list(field("endpoints")),
    requireEndUserId: field("requireEndUserId") === "on" || field("requireEndUserId") === "true" || field("requireEndUserId") === true,
    perEndUserRequestsPerMinute: orUndefined(field("perEndUserRequestsPerMinute")) ?? null,
    topics: parseTopics(field("topics")),
    inputFilter: orUndefined(field("inputFilter")),
    outputFilter: orUndefined(field("outputFilter")),
    expiresAt: expires === "" ? null : /^\d{4}-\d{2}-\d{2}$/.test(expires) ? `${expires}T23:59:59Z` : expires,
  };
  for (const { name } of numericScopeFields) candidate[name] = orUndefined(field(name));
  return candidate;
}

/** The field errors under `path` (the "scopes." of a decision, the "suggestedScopes." of a review), keyed by scope. */
export function scopeErrorsOf(errors: Record<string, string[] | undefined>, path: string): Record<string, string[] | undefined> {
  return Object.fromEntries(Object.entries(errors).flatMap(([key, messages]) => (key.startsWith(path) ? [[key.slice(path.length), messages]] : [])));
}
