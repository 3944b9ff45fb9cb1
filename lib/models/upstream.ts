// Forwards a completion to an OpenAI-compatible upstream; a timeout is a 504, anything else that fails a 502.
import type { UpstreamConfig } from "@/lib/gateway/config";
import { isRefusal, refusal, type Refusal } from "@/lib/gateway/refusals";
import type { IncomingMessage } from "node:http";
import { messageOf } from "@/lib/errors";
import { discard, isOk, postJson, readBody } from "@/lib/http/post-json";

export interface UpstreamResult {
  text: string;
  finishReason: string;
  promptTokens: number | null;
  completionTokens: number | null;
}

type Kind = "chat" | "completion";

function upstreamFailed(detail: string): Refusal {
  console.error(`[gateway] upstream failed: ${detail}`);
  return refusal("upstream_error");
}

function timedOut(): Refusal {
  return refusal("upstream_timeout");
}

interface Choice {
  text?: unknown;
  message?: { content?: unknown };
  delta?: { content?: unknown };
  finish_reason?: unknown;
}
interface UpstreamBody {
  choices?: Choice[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
}

const numberOrNull = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);

function readUsage(body: UpstreamBody, result: UpstreamResult): void {
  if (!body.usage) return;
  result.promptTokens = numberOrNull(body.usage.prompt_tokens);
  result.completionTokens = numberOrNull(body.usage.completion_tokens);
}

interface UpstreamRequest {
  config: UpstreamConfig;
  kind: Kind;
  body: Record<string, unknown>;
  /** Aborts the upstream request (the client went away). */
  signal?: AbortSignal;
  /** Called once the upstream has accepted a streamed request (its 2xx headers arrived). */
  onAccepted?: () => void;
}

/** A non-streamed answer longer than this is refused (502) rather than held in memory. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** A server-sent event longer than this is refused (502): an upstream that never ends its event cannot fill memory. */
const MAX_EVENT_CHARS = 1024 * 1024;

/** Sends the request; `timeout` is made by the caller, so a timeout while waiting for the answer's headers is a 504 too. */
async function send({ config, kind, body, signal }: UpstreamRequest, stream: boolean, timeout: AbortSignal): Promise<{ response: IncomingMessage; url: string }> {
  const url = `${config.baseUrl}/${kind === "chat" ? "chat/completions" : "completions"}`;
  const response = await postJson(url, stream ? { ...body, stream: true, stream_options: { include_usage: true } } : { ...body, stream: false }, {
    headers: config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {},
    signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
  });
  if (!isOk(response)) {
    discard(response);
    throw upstreamFailed(`${url} answered ${response.statusCode}`);
  }
  const contentType = response.headers["content-type"] ?? "";
  if (stream && !contentType.startsWith("text/event-stream")) {
    discard(response);
    throw upstreamFailed(`${url} answered a streamed request with ${contentType.slice(0, 64) || "no content type"}`);
  }
  return { response, url };
}

function failureOf(error: unknown, timeout: AbortSignal, signal: AbortSignal | undefined): unknown {
  if (isRefusal(error)) return error;
  if (signal?.aborted) return error;
  if (timeout.aborted) return timedOut();
  return upstreamFailed(messageOf(error));
}

/** Sends `body` (already holding the upstream model name) without streaming and returns the whole answer. */
export async function callUpstream(request: UpstreamRequest): Promise<UpstreamResult> {
  const timeout = AbortSignal.timeout(request.config.timeoutMs);
  try {
    const sent = await send(request, false, timeout);
    const parsed = JSON.parse(await readBody(sent.response, MAX_ANSWER_BYTES)) as UpstreamBody;
    const choice = parsed.choices?.[0];
    const text = request.kind === "chat" ? choice?.message?.content : choice?.text;
    if (typeof text !== "string") throw upstreamFailed(`${sent.url} answered without text`);
    const result: UpstreamResult = { text, finishReason: typeof choice?.finish_reason === "string" ? choice.finish_reason : "stop", promptTokens: null, completionTokens: null };
    readUsage(parsed, result);
    return result;
  } catch (error) {
    throw failureOf(error, timeout, request.signal);
  }
}

/**
 * Streams the answer: yields each piece of text as the upstream sends it, and returns the finish reason and the
 * upstream's token counts at the end. Aborting `signal` closes the upstream request at once. The timeout bounds the
 * wait for the headers and each silence after them, not the whole stream (a long answer may take minutes).
 */
export async function* streamUpstream(request: UpstreamRequest): AsyncGenerator<string, Omit<UpstreamResult, "text">> {
  // A stream may last longer than the timeout: the timeout is for its headers, then for each silence between chunks.
  const idle = new AbortController();
  const timer = setTimeout(() => idle.abort(new Error(`no answer within ${request.config.timeoutMs} ms`)), request.config.timeoutMs);
  const timeout = idle.signal;
  const result: Omit<UpstreamResult, "text"> = { finishReason: "stop", promptTokens: null, completionTokens: null };
  try {
    const sent = await send(request, true, timeout);
    request.onAccepted?.();
    sent.response.setEncoding("utf8");
    let buffered = "";
    let isDone = false;
    try {
      // Not destroyed when the loop ends: after [DONE] the rest is drained and the connection reused.
      for await (const text of sent.response.iterator({ destroyOnReturn: false }) as AsyncIterable<string>) {
        timer.refresh();
        // Server-sent events may end lines with CRLF (a CR may end one chunk and its LF begin the next).
        buffered = (buffered + text).replaceAll("\r\n", "\n");
        let end = buffered.indexOf("\n\n");
        while (end >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf("\n\n");
          for (const line of event.split("\n")) {
            if (!line.startsWith("data:")) continue;
            const data = line.slice(5).trim();
            if (data === "[DONE]") {
              isDone = true;
              continue;
            }
            const chunk = JSON.parse(data) as UpstreamBody;
            const choice = chunk.choices?.[0];
            const piece = request.kind === "chat" ? choice?.delta?.content : choice?.text;
            if (typeof choice?.finish_reason === "string") result.finishReason = choice.finish_reason;
            if (chunk.usage) {
              result.promptTokens = numberOrNull(chunk.usage.prompt_tokens);
              result.completionTokens = numberOrNull(chunk.usage.completion_tokens);
            }
            if (typeof piece === "string" && piece !== "") yield piece;
          }
        }
        if (isDone) break;
        if (buffered.length > MAX_EVENT_CHARS) throw upstreamFailed(`${sent.url} sent an event longer than ${MAX_EVENT_CHARS} characters`);
      }
    } finally {
      // Reached on [DONE], on an error, and when our consumer stops early (client gone, stop sequence, limit): only a
      // finished stream keeps its connection; otherwise closing it tells the upstream to stop generating.
      if (isDone) sent.response.resume();
      else sent.response.destroy();
    }
    if (!isDone) throw upstreamFailed(`${sent.url} ended its stream without [DONE]`);
    return result;
  } catch (error) {
    throw failureOf(error, timeout, request.signal);
  } finally {
    clearTimeout(timer);
  }
}
