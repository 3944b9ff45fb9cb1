// What each /v1 endpoint supplies to the one pipeline (lib/gateway/pipeline.ts): parse (read and validate the request,
// name the model and the end user), prepare (what admission reserves and what the content checks read) and respond
// (generate, moderate the output and answer). Admission, topics and input moderation are the pipeline's steps.
import "server-only";
import { z } from "zod";
import type { KeyScopes } from "@/lib/keys/scopes";
import { moderateLongText } from "@/lib/moderation";
import { chatPrompt } from "@/lib/models/ngram";
import { listModelIds, modelObject, resolveModel, type ResolvedModel } from "@/lib/models/registry";
import { pooledRandomBytes } from "@/lib/random";
import { authorizeModel } from "./authorize";
import { readJsonBody } from "./body";
import { runGeneration, streamGeneration, type FinishReason, type GenerationEnd, type GenerationInput } from "./generate";
import { moderateOutput, moderateStream, moderateWithService } from "./moderate";
import { jsonResponse, moderationContext, parseWith, runEndpoint, sseResponse, type Endpoint, type RequestState } from "./pipeline";
import { refusal, refuse, viewOf } from "./refusals";
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
import { chatTokenOverhead, countTokensChunked, countTokensWithin, MAX_CHARS_PER_TOKEN } from "./tokens";

const MODERATION_MODEL = "gatehouse-moderation";
/** The {id} of /v1/models/{id}, reported as the `model` parameter. */
const modelPathSchema = z.object({ model: modelIdSchema });

function completionId(prefix: string): string {
  return `${prefix}-${pooledRandomBytes(12).toString("base64url")}`;
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

/** A completion request as both completion endpoints hand it on. */
interface ParsedCompletion {
  body: ChatCompletionRequest | CompletionRequest;
  model: ResolvedModel;
  maxTokens: number;
  /** The texts counted as the prompt (chat: each message's content; the chat overhead is added). */
  promptParts: string[];
  promptParam: "messages" | "prompt";
  /** What topics and input moderation read. */
  promptText: string;
  /** What the built-in model continues. */
  prompt: string;
  format: CompletionFormat;
}

function usageOf(state: RequestState) {
  return { prompt_tokens: state.promptTokens, completion_tokens: state.completionTokens, total_tokens: state.promptTokens + state.completionTokens };
}

/** What differs between the chat and text completion endpoints' answers. */
interface CompletionFormat {
  kind: "chat" | "completion";
  id: string;
  /** The whole answer (stream: false). */
  whole(text: string, finishReason: FinishReason): unknown;
  /** Chunks of a stream: the opening ones, one per piece of text, and the closing one. */
  opening(): unknown[];
  piece(text: string): unknown;
  closing(finishReason: FinishReason): unknown;
}

/** Counts the prompt (refused above the key's limit); admission reserves it and the most the answer may use. */
async function prepareCompletion(state: RequestState, parsed: ParsedCompletion) {
  const overhead = parsed.promptParam === "messages" ? chatTokenOverhead(parsed.promptParts.length) : 0;
  state.promptTokens = await countPromptTokens(parsed.promptParts, state.key.scopes, parsed.promptParam, overhead);
  return { reserveTokens: state.promptTokens + parsed.maxTokens, promptText: parsed.promptText };
}

/** Generation and output moderation, answered whole or streamed as the text is generated. */
async function respondCompletion(state: RequestState, { body, model, maxTokens, prompt, format }: ParsedCompletion): Promise<Response> {
  const input: GenerationInput = {
    kind: format.kind,
    model,
    prompt,
    upstreamBody: { ...body },
    maxTokens,
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    stop: body.stop,
    seed: body.seed ?? null,
  };
  if (body.stream === true) return streamCompletion(state, input, format, body.stream_options?.include_usage === true);

  const generation = await runGeneration(state.runtime.config, input, state.clientSignal).catch((error: unknown) => {
    throw state.clientSignal.aborted ? refusal("client_closed_request") : error;
  });
  state.promptTokens = generation.upstreamPromptTokens ?? state.promptTokens;
  state.completionTokens = generation.completionTokens;
  const moderated = await moderateOutput(generation.text, state.key.scopes.outputFilter, moderationContext(state));
  if (moderated.isFlagged) state.isFlagged = true;
  return jsonResponse(state, format.whole(moderated.text, moderated.isFlagged ? "content_filter" : generation.finishReason));
}

/**
 * Streams the answer as it is generated. Output moderation holds back only the sentence being written (at most
 * HOLD_BACK_CHARS): each finished sentence is judged before it is sent, so a flagged span never reaches the client
 * (it is redacted, and the stream ends with finish_reason "content_filter"). A client that goes away stops the
 * generation (and closes the upstream request) at once; it is charged for the tokens generated until then.
 */
async function streamCompletion(state: RequestState, input: GenerationInput, format: CompletionFormat, includeUsage: boolean): Promise<Response> {
  const abort = new AbortController();
  let markAccepted: () => void = () => undefined;
  const accepted = new Promise<void>((resolve) => (markAccepted = resolve));
  const source = streamGeneration(state.runtime.config, input, abort.signal, markAccepted);
  let generated = "";
  const moderated = moderateStream(tapText(source, (text) => (generated += text)), state.key.scopes.outputFilter, moderationContext(state));
  const withUsage = (chunk: unknown) => (includeUsage ? { ...(chunk as object), usage: null } : chunk);
  const encoder = new TextEncoder();
  const event = (data: unknown) => encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
  let settle: () => void = () => undefined;
  state.completion = new Promise<void>((resolve) => (settle = resolve));
  let isFinished = false;
  let isCancelled = false;
  const finish = (end: GenerationEnd | null) => {
    if (isFinished) return;
    isFinished = true;
    state.runtime.openStreams.delete(stop);
    state.clientSignal.removeEventListener("abort", stop);
    // Ended early (client gone, failure, shutdown): the tokens generated until then are charged.
    state.completionTokens = end?.completionTokens ?? countTokensChunked(generated);
    if (end?.upstreamPromptTokens != null) state.promptTokens = end.upstreamPromptTokens;
    settle();
  };
  /** Stops the generation and records what it produced (the client left, or the server is stopping). */
  const stop = () => {
    if (isFinished) return;
    isCancelled = true;
    abort.abort();
    const view = viewOf(stoppedBy(state), state.requestId);
    state.streamError = { status: view.status, code: view.code };
    void moderated.return({ end: { finishReason: "stop", completionTokens: 0, upstreamPromptTokens: null }, isFlagged: false }).catch(() => undefined);
    finish(null);
  };
  state.runtime.openStreams.add(stop);
  // Next cancels the stream when its client goes; before the response is returned only the request's signal says so.
  state.clientSignal.addEventListener("abort", stop, { once: true });
  let firstStep: ReturnType<typeof moderated.next> | null = null;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of format.opening()) controller.enqueue(event(withUsage(chunk)));
      // The generation (an upstream's request) starts now, not when Next first pulls after taking the opening.
      firstStep = moderated.next();
      firstStep.catch(() => undefined);
    },
    async pull(controller) {
      try {
        const step = await (firstStep ?? moderated.next());
        firstStep = null;
        if (isCancelled) return;
        if (!step.done) {
          controller.enqueue(event(withUsage(format.piece(step.value))));
          return;
        }
        if (step.value.isFlagged) state.isFlagged = true;
        finish(step.value.end);
        controller.enqueue(event(withUsage(format.closing(step.value.isFlagged ? "content_filter" : step.value.end.finishReason))));
        if (includeUsage) controller.enqueue(event({ ...(format.closing("stop") as object), choices: [], usage: usageOf(state) }));
        controller.enqueue(encoder.encode("data: [DONE]\n\n"));
        controller.close();
      } catch (error) {
        // Our own abort (the client left): recorded by `stop`, not a failure.
        if (isCancelled) return;
        // Headers are sent: the failure goes in the stream, in OpenAI's error shape, and the request is recorded so.
        const view = viewOf(error, state.requestId);
        state.streamError = { status: view.status, code: view.code };
        finish(null);
        controller.enqueue(event(view.body));
        controller.close();
      }
    },
    cancel() {
      stop();
    },
  });
  if (input.model.kind === "upstream" && firstStep !== null) {
    // The headers wait until the upstream has accepted the request: one that fails before (an error status, no answer
    // in time) is answered 502 or 504 like a non-streamed request, not as a 200 stream that carries the error. (This
    // also lets the upstream's request leave before Next takes over the response.)
    try {
      await Promise.race([accepted, firstStep]);
    } catch (error) {
      // Answered as a refusal: the pipeline records it, not the stream's completion.
      finish(null);
      state.completion = null;
      throw isCancelled ? stoppedBy(state) : error;
    }
  }
  return sseResponse(state, stream);
}

/** What stopped a stream before its end: the client leaving, or the server's stop once the drain's wait was over. */
function stoppedBy(state: RequestState) {
  return state.runtime.isStopping ? refusal("service_unavailable", { detail: "the server is restarting" }) : refusal("client_closed_request");
}

async function* tapText(source: AsyncGenerator<string, GenerationEnd>, onText: (text: string) => void): AsyncGenerator<string, GenerationEnd> {
  for (;;) {
    const step = await source.next();
    if (step.done) return step.value;
    onText(step.value);
    yield step.value;
  }
}

const chatCompletions: Endpoint<ParsedCompletion> = {
  async parse(state, request) {
    const body = parseWith(chatCompletionRequestSchema, await readJsonBody(request, state.runtime.config.maxBodyBytes, state.runtime.bodyReads.signal));
    const { scopes } = state.key;
    const model = resolveAllowedModel(state, body.model);
    state.endUserId = endUserOf(body, scopes);
    const maxTokens = maxTokensOf(body, scopes);
    const messages = body.messages.map((message) => ({ role: message.role, content: messageText(message.content) }));
    const id = completionId("chatcmpl");
    const created = nowSeconds();
    const chunk = (choices: unknown[]) => ({ id, object: "chat.completion.chunk", created, model: body.model, system_fingerprint: null, choices });
    return {
      body,
      model,
      maxTokens,
      promptParts: messages.map((message) => message.content),
      promptParam: "messages",
      promptText: messages.map((message) => message.content).join("\n"),
      prompt: chatPrompt(messages.map((message) => ({ role: message.role === "developer" ? "system" : message.role, content: message.content }))),
      format: {
        kind: "chat",
        id,
        whole: (text, finishReason) => ({
          id,
          object: "chat.completion",
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: finishReason }],
          usage: usageOf(state),
          system_fingerprint: null,
        }),
        opening: () => [chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }])],
        piece: (text) => chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]),
        closing: (finishReason) => chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]),
      },
    };
  },
  prepare: prepareCompletion,
  respond: respondCompletion,
};

const completions: Endpoint<ParsedCompletion> = {
  async parse(state, request) {
    const body = parseWith(completionRequestSchema, await readJsonBody(request, state.runtime.config.maxBodyBytes, state.runtime.bodyReads.signal));
    const { scopes } = state.key;
    const model = resolveAllowedModel(state, body.model);
    state.endUserId = endUserOf(body, scopes);
    const maxTokens = maxTokensOf(body, scopes);
    const prompt = typeof body.prompt === "string" ? body.prompt : (body.prompt[0] ?? "");
    const echoed = body.echo === true ? prompt : "";
    const id = completionId("cmpl");
    const created = nowSeconds();
    const chunk = (text: string, finishReason: FinishReason | null) => ({ id, object: "text_completion", created, model: body.model, system_fingerprint: null, choices: [{ text, index: 0, logprobs: null, finish_reason: finishReason }] });
    return {
      body,
      model,
      maxTokens,
      promptParts: [prompt],
      promptParam: "prompt",
      promptText: prompt,
      prompt,
      format: {
        kind: "completion",
        id,
        whole: (text, finishReason) => ({
          id,
          object: "text_completion",
          created,
          model: body.model,
          choices: [{ text: echoed + text, index: 0, logprobs: null, finish_reason: finishReason }],
          usage: usageOf(state),
          system_fingerprint: null,
        }),
        opening: () => (echoed === "" ? [] : [chunk(echoed, null)]),
        piece: (text) => chunk(text, null),
        closing: (finishReason) => chunk("", finishReason),
      },
    };
  },
  prepare: prepareCompletion,
  respond: respondCompletion,
};

const moderations: Endpoint<string[]> = {
  async parse(state, request) {
    const body = parseWith(moderationRequestSchema, await readJsonBody(request, state.runtime.config.maxBodyBytes, state.runtime.bodyReads.signal));
    state.model = MODERATION_MODEL;
    return typeof body.input === "string" ? [body.input] : body.input;
  },
  async prepare(state, inputs) {
    state.promptTokens = await countPromptTokens(inputs, state.key.scopes, "input");
    // The moderation endpoint is what classifies content: its input is not refused by the content checks.
    return { reserveTokens: state.promptTokens, promptText: null };
  },
  async respond(state, inputs) {
    const provider = state.runtime.config.moderation;
    if (provider) {
      const outcomes = await moderateWithService(provider, inputs, "standard", state.requestId);
      return jsonResponse(state, { id: completionId("modr"), model: MODERATION_MODEL, results: outcomes.map((outcome) => outcome.result) });
    }
    const results = [];
    for (const input of inputs) {
      results.push((await moderateLongText(input, "standard")).result);
      // Up to 32 inputs: other requests go on between them.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return jsonResponse(state, { id: completionId("modr"), model: MODERATION_MODEL, results });
  },
};

const listModels: Endpoint<null> = {
  parse: async () => null,
  prepare: async () => ({ reserveTokens: 0, promptText: null }),
  async respond(state) {
    const upstream = state.runtime.config.upstream;
    const ids = listModelIds(upstream).filter((id) => state.key.scopes.models.includes(id));
    return jsonResponse(state, { object: "list", data: ids.map((id) => modelObject(id, upstream)) });
  },
};

function retrieveModel(id: string): Endpoint<string> {
  return {
    parse: async (state) => resolveAllowedModel(state, parseWith(modelPathSchema, { model: id }).model).id,
    prepare: async () => ({ reserveTokens: 0, promptText: null }),
    respond: async (state, model) => jsonResponse(state, modelObject(model, state.runtime.config.upstream)),
  };
}

export const handleChatCompletions = (runtime: GatewayRuntime, request: Request) => runEndpoint(runtime, request, "chat.completions", chatCompletions);
export const handleCompletions = (runtime: GatewayRuntime, request: Request) => runEndpoint(runtime, request, "completions", completions);
export const handleModerations = (runtime: GatewayRuntime, request: Request) => runEndpoint(runtime, request, "moderations", moderations);
export const handleListModels = (runtime: GatewayRuntime, request: Request) => runEndpoint(runtime, request, "models", listModels);
export const handleRetrieveModel = (runtime: GatewayRuntime, request: Request, id: string) => runEndpoint(runtime, request, "models", retrieveModel(id));
