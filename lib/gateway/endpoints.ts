// The steps of each /v1 endpoint, run inside the shared lifecycle of lib/gateway/pipeline.ts.
import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { KeyScopes } from "@/lib/keys/scopes";
import { moderateLongText } from "@/lib/moderation";
import { chatPrompt } from "@/lib/models/ngram";
import { listModelIds, modelObject, resolveModel, type ResolvedModel } from "@/lib/models/registry";
import { authorizeModel } from "./authorize";
import { readJsonBody } from "./body";
import { runGeneration, type Generation } from "./generate";
import { moderateInput, moderateOutput } from "./moderate";
import { admit, jsonResponse, moderationContext, parseWith, runEndpoint, sseResponse, type RequestState } from "./pipeline";
import { refuse } from "./refusals";
import type { GatewayRuntime } from "./runtime";
import {
  chatCompletionRequestSchema,
  completionRequestSchema,
  messageText,
  modelIdSchema,
  moderationRequestSchema,
  type ChatCompletionRequest,
  type CompletionRequest,
} from "./schema";
import { checkTopic } from "./topics";
import { chatTokenOverhead, countTokensWithin, MAX_CHARS_PER_TOKEN } from "./tokens";

const MODERATION_MODEL = "gatehouse-moderation";
/** The {id} of /v1/models/{id}, reported as the `model` parameter. */
const modelPathSchema = z.object({ model: modelIdSchema });

function completionId(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString("base64url")}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The end-user id (safety_identifier wins over the older user field), required when the key says so. */
function endUserOf(body: { user?: string | null; safety_identifier?: string | null }, scopes: KeyScopes): string | null {
  const id = body.safety_identifier?.trim() || body.user?.trim() || null;
  if (id === null && scopes.requireEndUserId) refuse("end_user_id_required", { param: "user" });
  return id;
}

/** max_tokens above the key's maxCompletionTokens is refused, not clamped, so callers learn the limit. */
function maxTokensOf(body: { max_tokens?: number | null; max_completion_tokens?: number | null }, scopes: KeyScopes): number {
  const param = body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
  const requested = body.max_completion_tokens ?? body.max_tokens ?? null;
  if (requested === null) return scopes.maxCompletionTokens;
  if (requested > scopes.maxCompletionTokens) refuse("max_tokens_exceeded", { param, requested, limit: scopes.maxCompletionTokens });
  return requested;
}

/**
 * The prompt's token count, refused above the key's maxPromptTokens. A text far too long for any count to fit is
 * refused before tokenizing; the count itself yields the event loop and stops at the limit (lib/gateway/tokens.ts).
 */
async function countPromptTokens(texts: readonly string[], scopes: KeyScopes, param: string, overhead = 0): Promise<number> {
  const limit = scopes.maxPromptTokens;
  const chars = texts.reduce((sum, text) => sum + text.length, 0);
  if (chars > limit * MAX_CHARS_PER_TOKEN) refuse("context_length_exceeded", { param, limit });
  const tokens = await countTokensWithin(texts, limit, overhead);
  if (tokens > limit) refuse("context_length_exceeded", { param, limit, used: tokens });
  return tokens;
}

function resolveAllowedModel(state: RequestState, model: string): ResolvedModel {
  const upstream = state.runtime.config.upstream;
  state.model = model;
  authorizeModel(state.key, model, listModelIds(upstream));
  return resolveModel(upstream, model) ?? refuse("model_not_found", { param: "model", value: model });
}

interface Prepared {
  model: ResolvedModel;
  maxTokens: number;
  promptText: string;
}

/** The shared middle of both completion endpoints: scope checks, admission, topic, input moderation, generation. */
async function complete(state: RequestState, body: ChatCompletionRequest | CompletionRequest, kind: "chat" | "completion", prepared: Prepared, prompt: string): Promise<Generation> {
  const { scopes } = state.key;
  await admit(state, state.promptTokens + prepared.maxTokens);
  checkTopic(prepared.promptText, scopes.topics);
  await moderateInput(prepared.promptText, scopes.inputFilter, moderationContext(state));
  const generation = await runGeneration(state.runtime.config, {
    kind,
    model: prepared.model,
    prompt,
    upstreamBody: { ...body },
    maxTokens: prepared.maxTokens,
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    stop: body.stop,
    seed: body.seed ?? null,
    stream: body.stream === true,
  });
  state.promptTokens = generation.upstreamPromptTokens ?? state.promptTokens;
  state.completionTokens = generation.completionTokens;
  const moderated = moderateOutput(generation.text, scopes.outputFilter, moderationContext(state));
  if (moderated.isFlagged) {
    state.isFlagged = true;
    return { ...generation, text: moderated.text, pieces: [moderated.text], finishReason: "content_filter" };
  }
  return generation;
}

function usageOf(state: RequestState) {
  return { prompt_tokens: state.promptTokens, completion_tokens: state.completionTokens, total_tokens: state.promptTokens + state.completionTokens };
}

async function chatCompletions(state: RequestState, request: Request): Promise<Response> {
  const body = parseWith(chatCompletionRequestSchema, await readJsonBody(request, state.runtime.config.maxBodyBytes));
  const { scopes } = state.key;
  const model = resolveAllowedModel(state, body.model);
  state.endUserId = endUserOf(body, scopes);
  const maxTokens = maxTokensOf(body, scopes);
  const messages = body.messages.map((message) => ({ role: message.role, content: messageText(message.content) }));
  state.promptTokens = await countPromptTokens(
    messages.map((message) => message.content),
    scopes,
    "messages",
    chatTokenOverhead(messages.length),
  );
  const promptText = messages.map((message) => message.content).join("\n");
  const prompt = chatPrompt(messages.map((message) => ({ role: message.role === "developer" ? "system" : message.role, content: message.content })));
  const generation = await complete(state, body, "chat", { model, maxTokens, promptText }, prompt);

  const id = completionId("chatcmpl");
  const created = nowSeconds();
  if (body.stream !== true) {
    return jsonResponse(state, {
      id,
      object: "chat.completion",
      created,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: generation.text, refusal: null }, logprobs: null, finish_reason: generation.finishReason }],
      usage: usageOf(state),
      system_fingerprint: null,
    });
  }
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], usage?: unknown) => ({ id, object: "chat.completion.chunk", created, model: body.model, system_fingerprint: null, choices, ...(includeUsage ? { usage: usage ?? null } : {}) });
  const chunks: unknown[] = [chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }])];
  for (const piece of generation.pieces) chunks.push(chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]));
  chunks.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: generation.finishReason }]));
  if (includeUsage) chunks.push(chunk([], usageOf(state)));
  return sseResponse(state, chunks);
}

async function completions(state: RequestState, request: Request): Promise<Response> {
  const body = parseWith(completionRequestSchema, await readJsonBody(request, state.runtime.config.maxBodyBytes));
  const { scopes } = state.key;
  const model = resolveAllowedModel(state, body.model);
  state.endUserId = endUserOf(body, scopes);
  const maxTokens = maxTokensOf(body, scopes);
  const prompt = typeof body.prompt === "string" ? body.prompt : (body.prompt[0] ?? "");
  state.promptTokens = await countPromptTokens([prompt], scopes, "prompt");
  const generation = await complete(state, body, "completion", { model, maxTokens, promptText: prompt }, prompt);
  const echoed = body.echo === true ? prompt : "";

  const id = completionId("cmpl");
  const created = nowSeconds();
  if (body.stream !== true) {
    return jsonResponse(state, {
      id,
      object: "text_completion",
      created,
      model: body.model,
      choices: [{ text: echoed + generation.text, index: 0, logprobs: null, finish_reason: generation.finishReason }],
      usage: usageOf(state),
      system_fingerprint: null,
    });
  }
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], usage?: unknown) => ({ id, object: "text_completion", created, model: body.model, system_fingerprint: null, choices, ...(includeUsage ? { usage: usage ?? null } : {}) });
  const pieces = echoed === "" ? generation.pieces : [echoed, ...generation.pieces];
  const chunks: unknown[] = pieces.map((text) => chunk([{ text, index: 0, logprobs: null, finish_reason: null }]));
  chunks.push(chunk([{ text: "", index: 0, logprobs: null, finish_reason: generation.finishReason }]));
  if (includeUsage) chunks.push(chunk([], usageOf(state)));
  return sseResponse(state, chunks);
}

async function moderations(state: RequestState, request: Request): Promise<Response> {
  const body = parseWith(moderationRequestSchema, await readJsonBody(request, state.runtime.config.maxBodyBytes));
  state.model = MODERATION_MODEL;
  const inputs = typeof body.input === "string" ? [body.input] : body.input;
  state.promptTokens = await countPromptTokens(inputs, state.key.scopes, "input");
  await admit(state, state.promptTokens);
  const results = [];
  for (const input of inputs) results.push((await moderateLongText(input, "standard")).result);
  return jsonResponse(state, { id: completionId("modr"), model: MODERATION_MODEL, results });
}

async function listModels(state: RequestState): Promise<Response> {
  await admit(state, 0);
  const upstream = state.runtime.config.upstream;
  const ids = listModelIds(upstream).filter((id) => state.key.scopes.models.includes(id));
  return jsonResponse(state, { object: "list", data: ids.map((id) => modelObject(id, upstream)) });
}

async function retrieveModel(state: RequestState, id: string): Promise<Response> {
  resolveAllowedModel(state, parseWith(modelPathSchema, { model: id }).model);
  await admit(state, 0);
  return jsonResponse(state, modelObject(id, state.runtime.config.upstream));
}

export const handleChatCompletions = (runtime: GatewayRuntime, request: Request) => runEndpoint(runtime, request, "chat.completions", chatCompletions);
export const handleCompletions = (runtime: GatewayRuntime, request: Request) => runEndpoint(runtime, request, "completions", completions);
export const handleModerations = (runtime: GatewayRuntime, request: Request) => runEndpoint(runtime, request, "moderations", moderations);
export const handleListModels = (runtime: GatewayRuntime, request: Request) => runEndpoint(runtime, request, "models", (state) => listModels(state));
export const handleRetrieveModel = (runtime: GatewayRuntime, request: Request, id: string) => runEndpoint(runtime, request, "models", (state) => retrieveModel(state, id));
