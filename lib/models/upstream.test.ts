import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { collectPieces } from "@/tests/support/gateway-factories";
import { eventually } from "@/tests/support/production-server";
import type { UpstreamConfig } from "@/lib/gateway/config";
import { callUpstream, streamUpstream } from "./upstream";

// A fake OpenAI-compatible upstream that sends what each test scripts, as raw bytes in the pieces it chooses.
let script: (response: http.ServerResponse) => void;
let connections = 0;
let closedConnections = 0;
let server: http.Server;
let config: UpstreamConfig;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => script(response));
  });
  server.on("connection", (socket: Socket) => {
    connections += 1;
    socket.on("close", () => (closedConnections += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  config = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: undefined, modelMap: {}, timeoutMs: 5_000 };
  vi.spyOn(console, "error").mockImplementation(() => undefined);
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}`;
const request = { config: undefined as unknown as UpstreamConfig, kind: "chat" as const, body: { model: "m", messages: [] } };

describe("streamUpstream", () => {
  it("reads events whose CRLF line ends are split across writes, and reuses the connection after [DONE]", async () => {
    script = (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const body = `${chunk("Hello ")}\r\n\r\n${chunk("world")}\r\n\r\ndata: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\r\n\r\ndata: [DONE]\r\n\r\n`;
      // Every CR ends one write and its LF begins the next.
      const parts = body.split(/(?<=\r)/u);
      let index = 0;
      const next = () => {
        const part = parts[index++] ?? "";
        if (index >= parts.length) return void response.end(part);
        response.write(part);
        setTimeout(next, 1);
      };
      next();
    };
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const { pieces, end } = await collectPieces(streamUpstream({ ...request, config }));
      expect(pieces).toEqual(["Hello ", "world"]);
      expect(end).toEqual({ finishReason: "stop", promptTokens: 3, completionTokens: 2 });
      // The stream is done at [DONE]; its connection is back in the pool once the rest has been drained.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(connections - before).toBe(1);
  });

  it("closes the upstream connection when its consumer stops early", async () => {
    script = (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(`${chunk("one ")}\n\n`);
      const timer = setInterval(() => response.write(`${chunk("more ")}\n\n`), 10);
      response.on("close", () => clearInterval(timer));
    };
    const closedBefore = closedConnections;
    const source = streamUpstream({ ...request, config });
    expect(await source.next()).toEqual({ done: false, value: "one " });
    await source.return({ finishReason: "stop", promptTokens: null, completionTokens: null });
    expect(await eventually(async () => closedConnections, (closed) => closed > closedBefore, 2_000)).toBeGreaterThan(closedBefore);
  });

  it("refuses (502) an event longer than 1 MB, and a stream that ends without [DONE]", async () => {
    script = (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      const piece = "x".repeat(64 * 1024);
      let sent = 0;
      const timer = setInterval(() => {
        if (response.destroyed || sent++ > 40) return clearInterval(timer);
        response.write(piece);
      }, 1);
    };
    await expect(collectPieces(streamUpstream({ ...request, config }))).rejects.toMatchObject({ code: "upstream_error" });
    script = (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.end(`${chunk("cut ")}\n\n`);
    };
    await expect(collectPieces(streamUpstream({ ...request, config }))).rejects.toMatchObject({ code: "upstream_error" });
  });

  it("answers 504 when the upstream stalls mid-stream past the timeout", async () => {
    script = (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(`${chunk("start ")}\n\n`);
    };
    await expect(collectPieces(streamUpstream({ ...request, config: { ...config, timeoutMs: 200 } }))).rejects.toMatchObject({ code: "upstream_timeout" });
  });
});

describe("callUpstream", () => {
  it("answers the whole text; a non-2xx answer or malformed JSON is a 502", async () => {
    script = (response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ choices: [{ message: { content: "All of it." }, finish_reason: "length" }], usage: { prompt_tokens: 4, completion_tokens: 3 } }));
    };
    expect(await callUpstream({ ...request, config })).toEqual({ text: "All of it.", finishReason: "length", promptTokens: 4, completionTokens: 3 });
    script = (response) => {
      response.writeHead(500);
      response.end("boom");
    };
    await expect(callUpstream({ ...request, config })).rejects.toMatchObject({ code: "upstream_error" });
    script = (response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{not json");
    };
    await expect(callUpstream({ ...request, config })).rejects.toMatchObject({ code: "upstream_error" });
  });
});
