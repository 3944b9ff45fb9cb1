// Reads a JSON body of at most `maxBytes` (the declared Content-Length and the bytes actually sent are both checked).
import { refusal } from "./refusals";

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
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
      const { value, done } = await reader.read().catch(() => {
        // The client went away mid-body: nothing of ours failed.
        throw refusal("request_aborted");
      });
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
