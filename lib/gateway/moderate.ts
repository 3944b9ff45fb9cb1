// Steps 5 and 7: input moderation blocks; output moderation redacts the flagged spans (finish_reason
// "content_filter"). Flagged content is recorded as a ModerationEvent for the admins' review, through the same
// durable writer as the usage records (lib/gateway/usage.ts), so an event is never dropped.
import "server-only";
import { randomUUID } from "node:crypto";
import type { ContentFilterLevel } from "@/lib/keys/scopes";
import { moderate, moderateLongText, redactText } from "@/lib/moderation";
import { refuse } from "./refusals";
import type { RecordRow } from "./usage";

export interface ModerationContext {
  requestId: string;
  apiKeyId: string;
  organizationId: string;
  record(row: RecordRow): void;
}

export const EXCERPT_CHARS = 500;

function recordEvent(context: ModerationContext, direction: "INPUT" | "OUTPUT", action: "BLOCKED" | "REDACTED", categories: string[], scores: Record<string, number>, text: string): void {
  const { requestId, apiKeyId, organizationId } = context;
  context.record({
    kind: "moderation",
    entry: { id: randomUUID(), requestId, apiKeyId, organizationId, direction, action, categories, scores: { ...scores }, excerpt: text.slice(0, EXCERPT_CHARS).toWellFormed(), createdAt: new Date() },
  });
}

/** Refuses with content_policy_violation when the input is flagged at the key's level. */
export async function moderateInput(text: string, level: ContentFilterLevel, context: ModerationContext): Promise<void> {
  if (level === "off") return;
  const outcome = await moderateLongText(text, level);
  if (!outcome.flagged) return;
  recordEvent(context, "INPUT", "BLOCKED", outcome.flaggedCategories, outcome.result.category_scores, text);
  refuse("content_policy_violation", { detail: outcome.flaggedCategories.join(", ") });
}

/** Redacts flagged spans of the output; returns the text to send and whether anything was flagged. */
export function moderateOutput(text: string, level: ContentFilterLevel, context: ModerationContext): { text: string; isFlagged: boolean } {
  if (level === "off" || text === "") return { text, isFlagged: false };
  const outcome = moderate(text, level);
  const redaction = redactText(text, level);
  if (!outcome.flagged && redaction.redacted === 0) return { text, isFlagged: false };
  // A flag the redactor could not localise withholds the whole output.
  const safe = redaction.redacted > 0 ? redaction.text : "[redacted]";
  recordEvent(context, "OUTPUT", "REDACTED", outcome.flaggedCategories, outcome.result.category_scores, text);
  return { text: safe, isFlagged: true };
}
