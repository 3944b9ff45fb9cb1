// Request bodies of the OpenAI-compatible endpoints, validated with zod; unknown fields are ignored like OpenAI's.
import { z } from "zod";

const stopSchema = z
  .union([z.string(), z.array(z.string()).max(4, "At most 4 stop sequences are supported.")])
  .nullish()
  .transform((value) => (value == null ? [] : typeof value === "string" ? [value] : value));

const endUserSchema = z.string().max(256, "Use at most 256 characters.").nullish();

const samplingShape = {
  model: z.string({ error: "You must provide a model parameter." }).min(1, "You must provide a model parameter."),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  seed: z.number().int().safe().nullish(),
  stop: stopSchema,
  n: z.number().int().nullish().refine((n) => n == null || n === 1, "Only n=1 is supported."),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  user: endUserSchema,
  safety_identifier: endUserSchema,
};

const textPartSchema = z.object({ type: z.literal("text"), text: z.string() });
const contentSchema = z.union([z.string(), z.array(textPartSchema).min(1)]).nullish();

export const chatMessageInputSchema = z.object({
  role: z.enum(["system", "developer", "user", "assistant"], { error: "Role must be one of system, developer, user or assistant (text only)." }),
  content: contentSchema,
  name: z.string().optional(),
});

export const chatCompletionRequestSchema = z.object({
  ...samplingShape,
  messages: z.array(chatMessageInputSchema).min(1, "messages must contain at least one message."),
  max_completion_tokens: z.number().int().min(1).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export const completionRequestSchema = z.object({
  ...samplingShape,
  prompt: z.union([z.string(), z.array(z.string()).length(1, "Only one prompt per request is supported.")]),
  echo: z.boolean().nullish(),
  suffix: z.string().nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

export const moderationRequestSchema = z.object({
  input: z.union([z.string(), z.array(z.string()).min(1).max(32)]),
  model: z.string().nullish(),
});
export type ModerationRequest = z.infer<typeof moderationRequestSchema>;

/** The plain text of a chat message's content. */
export function messageText(content: z.infer<typeof contentSchema>): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((part) => part.text).join("");
}
