// Forwards a completion to an OpenAI-compatible upstream; a timeout is a 504, anything else that fails a 502.
import type { UpstreamConfig } from "@/lib/gateway/config";
import { isRefusal, refusal, type Refusal } from "@/lib/gateway/refusals";
import { messageOf } from "@/lib/errors";

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
}

/** Sends the request; `timeout` is made by the caller, so a timeout while waiting for the answer's headers is a 504 too. */
async function send({ config, kind, body, signal }: UpstreamRequest, stream: boolean, timeout: AbortSignal): Promise<{ response: Response; url: string }> {
  const url = `${config.baseUrl}/${kind === "chat" ? "chat/completions" : "completions"}`;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
    body: JSON.stringify(stream ? { ...body, stream: true, stream_options: { include_usage: true } } : { ...body, stream: false }),
    signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw upstreamFailed(`${url} answered ${response.status}`);
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
    const parsed = (await sent.response.json()) as UpstreamBody;
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
 * upstream's token counts at the end. Aborting `signal` closes the upstream request at once.
 */
export async function* streamUpstream(request: UpstreamRequest): AsyncGenerator<string, Omit<UpstreamResult, "text">> {
  const timeout = AbortSignal.timeout(request.config.timeoutMs);
  const result: Omit<UpstreamResult, "text"> = { finishReason: "stop", promptTokens: null, completionTokens: null };
  try {
    const sent = await send(request, true, timeout);
    if (!sent.response.body) throw upstreamFailed(`${sent.url} sent no stream`);
    const decoder = new TextDecoder();
    let buffered = "";
    let isDone = false;
    const reader = sent.response.body.getReader();
    try {
      while (!isDone) {
        const { value, done } = await reader.read();
        if (done) break;
        // Server-sent events may end lines with CRLF.
        buffered += decoder.decode(value, { stream: true }).replaceAll("\r\n", "\n");
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
      }
    } finally {
      // Reached on [DONE], on an error, and when our consumer stops early (client gone, stop sequence, limit).
      await reader.cancel().catch(() => undefined);
    }
    if (!isDone) throw upstreamFailed(`${sent.url} ended its stream without [DONE]`);
    return result;
  } catch (error) {
    throw failureOf(error, timeout, request.signal);
  }
}
