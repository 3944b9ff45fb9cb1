// The benchmark's baseline: the same built-in completion as /v1/chat/completions with none of the gateway's steps
// (no key, limits, moderation or usage), served only when GATEHOUSE_BENCH_BASELINE=1.
import { chatPrompt } from "@/lib/models/ngram";
import type { GatewayConfig } from "./config";
import { runGeneration } from "./generate";
import { chatCompletionRequestSchema, messageText } from "./schema";
import { countChatTokens } from "./tokens";

export async function handleBaseline(config: GatewayConfig, request: Request): Promise<Response> {
  const body = chatCompletionRequestSchema.parse(await request.json());
  const messages = body.messages.map((message) => ({ role: message.role === "developer" ? ("system" as const) : message.role, content: messageText(message.content) }));
  const promptTokens = countChatTokens(messages);
  const generation = await runGeneration(config, {
    kind: "chat",
    model: { kind: "builtin", id: body.model },
    upstreamBody: {},
    prompt: chatPrompt(messages),
    maxTokens: body.max_tokens ?? 16,
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    stop: body.stop,
    seed: body.seed ?? null,
  });
  return Response.json({
    id: "chatcmpl-baseline",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content: generation.text, refusal: null }, logprobs: null, finish_reason: generation.finishReason }],
    usage: { prompt_tokens: promptTokens, completion_tokens: generation.completionTokens, total_tokens: promptTokens + generation.completionTokens },
    system_fingerprint: null,
  });
}
