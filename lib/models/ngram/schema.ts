import { z } from "zod";

export const generateOptionsSchema = z.object({
  prompt: z.string(),
  /** Upper bound on model output pieces (words and punctuation marks). */
  maxTokens: z.number().int().min(0).max(100_000),
  temperature: z.number().min(0).max(2).default(1),
  // 0 keeps only the likeliest words (greedy), as OpenAI's top_p 0 does.
  topP: z.number().min(0).max(1).default(1),
  stop: z.array(z.string()).max(4).default([]),
  seed: z.number().int().optional(),
});
export type GenerateOptions = z.input<typeof generateOptionsSchema>;

export const chatMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;
