// Steps 5 and 7: input moderation blocks; output moderation redacts the flagged spans (finish_reason
// "content_filter"). Flagged content is recorded as a ModerationEvent for the admins' review.
import "server-only";
import { db } from "@/lib/db";
import type { ContentFilterLevel } from "@/lib/keys/scopes";
import { moderate, redactText } from "@/lib/moderation";
import { ApiError } from "./errors";

export interface ModerationContext {
  requestId: string;
  apiKeyId: string;
  organizationId: string;
}

const EXCERPT_CHARS = 500;

async function recordEvent(context: ModerationContext, direction: "INPUT" | "OUTPUT", action: "BLOCKED" | "REDACTED", categories: string[], scores: unknown, text: string) {
  try {
    await db.moderationEvent.create({
      data: { ...context, direction, action, categories, scores: JSON.parse(JSON.stringify(scores)), excerpt: text.slice(0, EXCERPT_CHARS) },
    });
  } catch (error) {
    console.error("[gateway] recording a moderation event failed", error);
  }
}

/** Throws a 400 content_policy_violation when the input is flagged at the key's level. */
export async function moderateInput(text: string, level: ContentFilterLevel, context: ModerationContext): Promise<void> {
  if (level === "off") return;
  const outcome = moderate(text, level);
  if (!outcome.flagged) return;
  await recordEvent(context, "INPUT", "BLOCKED", outcome.flaggedCategories, outcome.result.category_scores, text);
  throw new ApiError(
    400,
    "invalid_request_error",
    "content_policy_violation",
    `Your request was rejected by the content filter of this key (flagged: ${outcome.flaggedCategories.join(", ")}).`,
  );
}

/** Redacts flagged spans of the output; returns the text to send and whether anything was flagged. */
export async function moderateOutput(text: string, level: ContentFilterLevel, context: ModerationContext): Promise<{ text: string; isFlagged: boolean }> {
  if (level === "off" || text === "") return { text, isFlagged: false };
  const outcome = moderate(text, level);
  const redaction = redactText(text, level);
  if (!outcome.flagged && redaction.redacted === 0) return { text, isFlagged: false };
  // A flag the redactor could not localise withholds the whole output.
  const safe = redaction.redacted > 0 ? redaction.text : "[redacted]";
  await recordEvent(context, "OUTPUT", "REDACTED", outcome.flaggedCategories, outcome.result.category_scores, text);
  return { text: safe, isFlagged: true };
}
