// Reads a JSON body of at most `maxBytes` (the declared Content-Length and the bytes actually sent are both checked).
import { refusal } from "./refusals";

/** The next chunk of a body, unless `stop` aborts first (the server is stopping): then a 503 and the body dropped. */
function readUnlessStopped(reader: ReadableStreamDefaultReader<Uint8Array>, stop: AbortSignal | undefined): Promise<ReadableStreamReadResult<Uint8Array>> {
  const read = reader.read().catch(() => {
    // The client went away mid-body: nothing of ours failed.
    throw refusal("request_aborted");
  });
  if (!stop) return read;
  const stopped = () => {
    void reader.cancel().catch(() => undefined);
    return refusal("service_unavailable", { detail: "the server is restarting" });
  };
  if (stop.aborted) return Promise.reject(stopped());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(stopped());
    stop.addEventListener("abort", onAbort, { once: true });
    read.then(resolve, reject).finally(() => stop.removeEventListener("abort", onAbort));
  });
}

export async function readJsonBody(request: Request, maxBytes: number, stop?: AbortSignal): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw refusal("request_too_large", { limit: maxBytes });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { value, done } = await readUnlessStopped(reader, stop);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw refusal("request_too_large", { limit: maxBytes });
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw refusal("invalid_json", { detail: "The request body is empty: send a JSON object." });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refusal("invalid_json", { detail: "The request body is not valid JSON." });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw refusal("invalid_json", { detail: "The request body must be a JSON object." });
  }
  return parsed;
}
