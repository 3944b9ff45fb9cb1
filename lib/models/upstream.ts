// Forwards a completion to an OpenAI-compatible upstream; a timeout is a 504, anything else that fails a 502.
import type { UpstreamConfig } from "@/lib/gateway/config";
import { isRefusal, refusal, type Refusal } from "@/lib/gateway/refusals";

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

/** Sends `body` (already holding the upstream model name) and collects the whole answer, streamed or not. */
export async function callUpstream({ config, kind, body, stream }: { config: UpstreamConfig; kind: Kind; body: Record<string, unknown>; stream: boolean }): Promise<UpstreamResult> {
  const url = `${config.baseUrl}/${kind === "chat" ? "chat/completions" : "completions"}`;
  const signal = AbortSignal.timeout(config.timeoutMs);
  const result: UpstreamResult = { text: "", finishReason: "stop", promptTokens: null, completionTokens: null };
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
      body: JSON.stringify(stream ? { ...body, stream: true, stream_options: { include_usage: true } } : { ...body, stream: false }),
      signal,
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw upstreamFailed(`${url} answered ${response.status}`);
    }
    if (!stream) {
      const parsed = (await response.json()) as UpstreamBody;
      const choice = parsed.choices?.[0];
      const text = kind === "chat" ? choice?.message?.content : choice?.text;
      if (typeof text !== "string") throw upstreamFailed(`${url} answered without text`);
      result.text = text;
      if (typeof choice?.finish_reason === "string") result.finishReason = choice.finish_reason;
      readUsage(parsed, result);
      return result;
    }
    if (!response.body) throw upstreamFailed(`${url} sent no stream`);
    const decoder = new TextDecoder();
    let buffered = "";
    let isDone = false;
    const reader = response.body.getReader();
    while (!isDone) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
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
          const piece = kind === "chat" ? choice?.delta?.content : choice?.text;
          if (typeof piece === "string") result.text += piece;
          if (typeof choice?.finish_reason === "string") result.finishReason = choice.finish_reason;
          readUsage(chunk, result);
        }
      }
    }
    if (!isDone) throw upstreamFailed(`${url} ended its stream without [DONE]`);
    return result;
  } catch (error) {
    if (isRefusal(error)) throw error;
    if (signal.aborted) throw timedOut();
    throw upstreamFailed(error instanceof Error ? error.message : String(error));
  }
}
