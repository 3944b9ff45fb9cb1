// Request bodies of the OpenAI-compatible endpoints, validated with zod; unknown fields are ignored like OpenAI's.
// Every string is bounded and must be well-formed text: NUL bytes and unpaired UTF-16 surrogates are refused here,
// at the edge, so nothing downstream (logs, the database, the tokenizer) ever sees them. Limits are in the README.
import { z } from "zod";
import { isCleanText } from "@/lib/validation";

export const MAX_MODEL_CHARS = 256;
export const MAX_END_USER_CHARS = 256;
export const MAX_NAME_CHARS = 256;
export const MAX_STOP_CHARS = 256;
export const MAX_MESSAGES = 2_048;
export const MAX_CONTENT_PARTS = 256;
/** The body is at most 1 MiB; no text field can be longer than that anyway. */
export const MAX_TEXT_CHARS = 1_048_576;
export const MAX_MODERATION_INPUTS = 32;

export const CLEAN_TEXT_MESSAGE = "must not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates.";

export function cleanText(maxChars: number) {
  return z
    .string()
    .max(maxChars, `must be at most ${maxChars} characters.`)
    .refine(isCleanText, CLEAN_TEXT_MESSAGE);
}

/**
 * A list whose length is checked before its items: 65,000 tiny messages in a 1 MiB body are refused for their number
 * at once, not after each was validated (zod checks an array's length after its items).
 */
function list<T extends z.ZodType>(item: T, min: number, max: number, tooMany: string, tooFew?: string) {
  return z.array(z.unknown()).min(min, tooFew).max(max, tooMany).pipe(z.array(item));
}

export const modelIdSchema = cleanText(MAX_MODEL_CHARS).min(1, "You must provide a model parameter.");

const stopSchema = z
  .union([cleanText(MAX_STOP_CHARS), z.array(cleanText(MAX_STOP_CHARS)).max(4, "At most 4 stop sequences are supported.")])
  .nullish()
  .transform((value) => (value == null ? [] : typeof value === "string" ? [value] : value));

const endUserSchema = cleanText(MAX_END_USER_CHARS).nullish();

const samplingShape = {
  model: modelIdSchema,
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  seed: z.number().int().safe().nullish(),
  stop: stopSchema,
  n: z.number().int().nullish().refine((n) => n == null || n === 1, "Only n=1 is supported."),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  user: endUserSchema,
  safety_identifier: endUserSchema,
};

const textPartSchema = z.object({ type: z.literal("text", { error: 'Only text content parts are supported (type "text").' }), text: cleanText(MAX_TEXT_CHARS) });
const contentSchema = z
  .union([cleanText(MAX_TEXT_CHARS), list(textPartSchema, 1, MAX_CONTENT_PARTS, `At most ${MAX_CONTENT_PARTS} content parts are supported.`)], {
    error: "must be a string or a list of text parts.",
  })
  .nullish();

export const chatMessageInputSchema = z.object({
  role: z.enum(["system", "developer", "user", "assistant"], { error: "Role must be one of system, developer, user or assistant (text only)." }),
  content: contentSchema,
  name: cleanText(MAX_NAME_CHARS).optional(),
});

export const chatCompletionRequestSchema = z.object({
  ...samplingShape,
  messages: list(chatMessageInputSchema, 1, MAX_MESSAGES, `At most ${MAX_MESSAGES} messages are supported.`, "messages must contain at least one message."),
  max_completion_tokens: z.number().int().min(1).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export const completionRequestSchema = z.object({
  ...samplingShape,
  prompt: z.union([cleanText(MAX_TEXT_CHARS), z.array(cleanText(MAX_TEXT_CHARS)).length(1, "Only one prompt per request is supported.")]),
  echo: z.boolean().nullish(),
  suffix: cleanText(MAX_TEXT_CHARS).nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

/** OpenAI's multi-modal moderation input: the parts of one input (one result). Only text parts are supported. */
const moderationPartsSchema = list(
  z.object({ type: z.literal("text", { error: 'Only text inputs are supported (type "text").' }), text: cleanText(MAX_TEXT_CHARS) }),
  1,
  MAX_CONTENT_PARTS,
  `At most ${MAX_CONTENT_PARTS} text parts are supported.`,
).transform((parts) => [parts.map((part) => part.text).join("\n")]);

export const moderationRequestSchema = z.object({
  input: z.union(
    [
      cleanText(MAX_TEXT_CHARS),
      list(cleanText(MAX_TEXT_CHARS), 1, MAX_MODERATION_INPUTS, `At most ${MAX_MODERATION_INPUTS} inputs are supported.`),
      moderationPartsSchema,
    ],
    { error: "must be a string, a list of strings or a list of text parts." },
  ),
  model: cleanText(MAX_MODEL_CHARS).nullish(),
});
export type ModerationRequest = z.infer<typeof moderationRequestSchema>;

/** The plain text of a chat message's content. */
export function messageText(content: z.infer<typeof contentSchema>): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((part) => part.text).join("");
}
