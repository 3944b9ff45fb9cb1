// Steps 5 and 7: input moderation blocks; output moderation redacts the flagged spans (finish_reason
// "content_filter"). Flagged content is recorded as a ModerationEvent for the admins' review, through the same
// durable writer as the usage records (lib/gateway/usage.ts), so an event is never dropped.
import "server-only";
import { randomUUID } from "node:crypto";
import type { ContentFilterLevel } from "@/lib/keys/scopes";
import { logger } from "@/lib/log";
import { moderateAndRedact, moderateLongText, type ModerationOutcome } from "@/lib/moderation";
import { moderateExternally, type ExternalModerationConfig } from "@/lib/moderation/external";
import { observeModerationFailure } from "./observe";
import { refuse } from "./refusals";
import type { RecordRow } from "./usage";

export interface ModerationContext {
  requestId: string;
  apiKeyId: string;
  organizationId: string;
  record(row: RecordRow): void;
  /** The external moderation service (GatewayConfig.moderation); absent or null: the built-in classifier. */
  provider?: ExternalModerationConfig | null;
}

/** Classifies with the external service; its failure refuses the request (fail closed) and is counted. */
export async function moderateWithService(provider: ExternalModerationConfig, inputs: string[], level: ContentFilterLevel, requestId: string): Promise<ModerationOutcome[]> {
  try {
    return await moderateExternally(provider, inputs, level);
  } catch (error) {
    observeModerationFailure("external");
    logger().error({ err: error, requestId }, "the moderation service failed; request refused");
    return refuse("moderation_unavailable");
  }
}

async function judge(text: string, level: ContentFilterLevel, context: ModerationContext): Promise<ModerationOutcome> {
  if (!context.provider) return moderateLongText(text, level);
  const [outcome] = await moderateWithService(context.provider, [text], level, context.requestId);
  return outcome ?? refuse("moderation_unavailable");
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
  const outcome = await judge(text, level, context);
  if (!outcome.flagged) return;
  recordEvent(context, "INPUT", "BLOCKED", outcome.flaggedCategories, outcome.result.category_scores, text);
  refuse("content_policy_violation", { detail: outcome.flaggedCategories.join(", ") });
}

/**
 * Redacts flagged spans of the output; returns the text to send and whether anything was flagged. An external
 * service judges the text as a whole, so a flagged output is withheld whole.
 */
export async function moderateOutput(text: string, level: ContentFilterLevel, context: ModerationContext): Promise<{ text: string; isFlagged: boolean }> {
  if (level === "off" || text === "") return { text, isFlagged: false };
  if (context.provider) {
    const outcome = await judge(text, level, context);
    if (!outcome.flagged) return { text, isFlagged: false };
    recordEvent(context, "OUTPUT", "REDACTED", outcome.flaggedCategories, outcome.result.category_scores, text);
    return { text: "[redacted]", isFlagged: true };
  }
  const { outcome, redaction } = moderateAndRedact(text, level);
  if (!outcome.flagged && redaction.redacted === 0) return { text, isFlagged: false };
  // A flag the redactor could not localise withholds the whole output.
  const safe = redaction.redacted > 0 ? redaction.text : "[redacted]";
  recordEvent(context, "OUTPUT", "REDACTED", outcome.flaggedCategories, outcome.result.category_scores, text);
  return { text: safe, isFlagged: true };
}

/** Output moderation of a stream holds back at most this much: a sentence longer than this is judged in parts. */
export const HOLD_BACK_CHARS = 300;
/** Text already sent is judged again with what follows it, so a phrase split across two parts is still caught. */
export const CONTEXT_CHARS = 200;
const SENTENCE_END = /[.!?。！？]["')\]]*\s+/gu;

/** Where the text held back may be released: after its last finished sentence, or at a space past HOLD_BACK_CHARS. */
function releasePoint(pending: string, isFinal: boolean): number {
  if (isFinal) return pending.length;
  let cut = 0;
  for (const match of pending.matchAll(SENTENCE_END)) cut = match.index + match[0].length;
  if (cut > 0) return cut;
  if (pending.length < HOLD_BACK_CHARS) return 0;
  const space = pending.lastIndexOf(" ");
  return space > 0 ? space : pending.length;
}

/**
 * Moderates a stream of generated text as it goes: text is held back until its sentence is finished, then judged
 * together with the last CONTEXT_CHARS characters already sent, and released, redacted where flagged (each flagged
 * part recorded). A flag that reaches back into text already sent withholds the whole new part. Returns the
 * generation's end and whether anything was flagged.
 */
export async function* moderateStream<End>(source: AsyncGenerator<string, End>, level: ContentFilterLevel, context: ModerationContext): AsyncGenerator<string, { end: End; isFlagged: boolean }> {
  let pending = "";
  /** The last CONTEXT_CHARS characters the client received. */
  let sent = "";
  let isFlagged = false;
  try {
    for (;;) {
      const step = await source.next();
      if (!step.done) pending += step.value;
      if (level === "off") {
        if (step.done) return { end: step.value, isFlagged };
        if (step.value !== "") yield step.value;
        pending = "";
        continue;
      }
      const cut = releasePoint(pending, step.done === true);
      if (cut > 0) {
        const part = pending.slice(0, cut);
        pending = pending.slice(cut);
        const judged = await moderateOutput(sent + part, level, context);
        let released = part;
        if (judged.isFlagged) {
          isFlagged = true;
          released = judged.text.startsWith(sent) ? judged.text.slice(sent.length) : "[redacted]";
        }
        // The context is what the client received: a part redacted once is not judged (and recorded) again.
        sent = (sent + released).slice(-CONTEXT_CHARS);
        if (released !== "") yield released;
      }
      if (step.done) return { end: step.value, isFlagged };
    }
  } finally {
    // The consumer stopped early (client gone): stop the generation too.
    await source.return(undefined as never).catch(() => undefined);
  }
}
