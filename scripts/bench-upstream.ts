// The benchmark's fake OpenAI-compatible upstream (scripts/bench.ts). `npm run bench` runs it twice: in a process of its
// own (forked from this file; a real upstream is never in its client's process) and inside the bench's own process,
// where a direct call crosses no process boundary at all (reported beside it).
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Chunks are sent every UPSTREAM_CHUNK_MS, the first after one interval. */
export const UPSTREAM_CHUNK_MS = 20;

// Each sentence chunk ends with its space, so a chunk is a finished sentence the output moderation can release at once;
// real token streams send a word at a time, and then the first text waits for the first sentence's end (reported too).
const SENTENCES = ["The river runs high in the spring. ", "The water is cold and clear. ", "Boats wait on the bank. ", "Birds follow the current. ", "The town watches it rise."];
export const WORDS = SENTENCES.join("").split(/(?=\s)/u);

/** When the upstream received a stream's request and wrote its first chunk, in ms of the machine's monotonic clock. */
export interface UpstreamTimes {
  receivedAt: number;
  firstChunkAt: number;
}

/** The machine's monotonic clock in ms: the same in every process (Linux CLOCK_MONOTONIC), unlike performance.now(). */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Serves chat completions on loopback: a sentence a chunk (model "sentences"), or a word a chunk (model "words"). */
export function startUpstream(onStreamEnd: (times: UpstreamTimes) => void): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const times: UpstreamTimes = { receivedAt: monotonicMs(), firstChunkAt: NaN };
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    request.on("end", () => {
      const body = JSON.parse(raw) as { model?: string; stream?: boolean };
      const pieces = body.model === "words" ? WORDS : SENTENCES;
      const chunk = (delta: object, finishReason: string | null) =>
        `data: ${JSON.stringify({ id: "chatcmpl-upstream", object: "chat.completion.chunk", created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
      if (body.stream !== true) {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ id: "chatcmpl-upstream", object: "chat.completion", created: 0, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: pieces.join("") }, finish_reason: "stop" }] }));
        return;
      }
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      response.flushHeaders();
      let next = 0;
      const timer = setInterval(() => {
        const piece = pieces[next++];
        if (piece !== undefined) {
          if (next === 1) times.firstChunkAt = monotonicMs();
          response.write(chunk(next === 1 ? { role: "assistant", content: piece } : { content: piece }, null));
          return;
        }
        clearInterval(timer);
        // Reported before the last write, so the times are there when the client has read the whole stream.
        onStreamEnd(times);
        response.end(`${chunk({}, "stop")}data: [DONE]\n\n`);
      }, UPSTREAM_CHUNK_MS);
      response.on("close", () => clearInterval(timer));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Forked by the bench: reports its port, then each stream's times, over the IPC channel; stops when the bench goes.
if (process.send && process.argv.includes("--serve")) {
  const send = process.send.bind(process);
  void startUpstream((times) => send({ times })).then((server) => {
    send({ port: (server.address() as AddressInfo).port });
    process.on("disconnect", () => process.exit(0));
  });
}
