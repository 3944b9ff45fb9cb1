import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "@/tests/support/production-server";
import { discard, isOk, postJson, readBody } from "./post-json";

// A server the test scripts: each request is answered by `reply`; connections and closes are counted.
let reply: (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void;
let connections = 0;
let closedConnections = 0;
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    request.on("end", () => reply(request, response, raw));
  });
  server.on("connection", (socket: Socket) => {
    connections += 1;
    socket.on("close", () => (closedConnections += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  server.closeAllConnections();
});

const signal = () => AbortSignal.timeout(5_000);

describe("postJson", () => {
  it("sends the body as JSON with its headers and reuses one connection for requests one after another", async () => {
    const seen: { body: string; type: string | undefined; length: string | undefined; authorization: string | undefined }[] = [];
    reply = (request, response, body) => {
      seen.push({ body, type: request.headers["content-type"], length: request.headers["content-length"], authorization: request.headers.authorization });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ echo: JSON.parse(body) as unknown }));
    };
    const before = connections;
    for (let i = 0; i < 5; i++) {
      const response = await postJson(`${base}/v1/echo`, { n: i, text: "naïve ✓" }, { headers: { authorization: "Bearer k" }, signal: signal() });
      expect(isOk(response)).toBe(true);
      expect(JSON.parse(await readBody(response, 1_000))).toEqual({ echo: { n: i, text: "naïve ✓" } });
    }
    expect(seen.at(-1)).toEqual({ body: JSON.stringify({ n: 4, text: "naïve ✓" }), type: "application/json", length: String(Buffer.byteLength(seen.at(-1)!.body)), authorization: "Bearer k" });
    expect(connections - before).toBe(1);
  });

  it("sends a request again, once, on a new connection when the pooled one was closed by the server while idle", async () => {
    const serverSockets: Socket[] = [];
    reply = (request, response) => {
      serverSockets.push(request.socket);
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    };
    const first = await postJson(`${base}/v1/a`, {}, { signal: signal() });
    await readBody(first, 100);
    const before = connections;
    // The server drops the idle connection; the client has not seen it yet when it reuses the connection.
    serverSockets[0]?.destroy();
    for (let i = 0; i < 3; i++) {
      const again = await postJson(`${base}/v1/b`, {}, { signal: signal() });
      expect(JSON.parse(await readBody(again, 100))).toEqual({});
    }
    expect(connections - before).toBe(1);
  });

  it("resolves with any status; discarding a refused answer closes its connection", async () => {
    reply = (_request, response) => {
      response.writeHead(503, { "content-type": "text/plain" });
      response.write("busy");
    };
    const closedBefore = closedConnections;
    const response = await postJson(`${base}/v1/x`, {}, { signal: signal() });
    expect(response.statusCode).toBe(503);
    expect(isOk(response)).toBe(false);
    discard(response);
    expect(await eventually(async () => closedConnections, (closed) => closed > closedBefore, 2_000)).toBeGreaterThan(closedBefore);
  });

  it("rejects with the signal's reason before the answer, and closes the connection at once", async () => {
    reply = () => undefined; // never answers
    const closedBefore = closedConnections;
    const controller = new AbortController();
    const pending = postJson(`${base}/v1/slow`, {}, { signal: controller.signal });
    await eventually(async () => connections, (count) => count > 0, 2_000);
    setTimeout(() => controller.abort(new Error("client gone")), 50);
    await expect(pending).rejects.toThrow("client gone");
    expect(await eventually(async () => closedConnections, (closed) => closed > closedBefore, 2_000)).toBeGreaterThan(closedBefore);
  });

  it("times out while waiting for the answer, and while reading a body that stalls", async () => {
    reply = () => undefined;
    await expect(postJson(`${base}/v1/slow`, {}, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: "TimeoutError" });
    reply = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"partial":');
    };
    const timeout = AbortSignal.timeout(150);
    const response = await postJson(`${base}/v1/stall`, {}, { signal: timeout });
    await expect(readBody(response, 1_000)).rejects.toThrow();
    expect(timeout.aborted).toBe(true);
  });

  it("refuses an answer longer than the limit and closes its connection", async () => {
    reply = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("x".repeat(10_000));
    };
    const closedBefore = closedConnections;
    const response = await postJson(`${base}/v1/big`, {}, { signal: signal() });
    await expect(readBody(response, 1_000)).rejects.toThrow("longer than 1000 bytes");
    expect(await eventually(async () => closedConnections, (closed) => closed > closedBefore, 2_000)).toBeGreaterThan(closedBefore);
  });

  it("rejects an address it cannot reach, an already aborted signal and a scheme other than http(s)", async () => {
    await expect(postJson("http://127.0.0.1:9/v1", {}, { signal: signal() })).rejects.toMatchObject({ code: "ECONNREFUSED" });
    const aborted = AbortSignal.abort(new Error("already"));
    await expect(postJson(`${base}/v1/x`, {}, { signal: aborted })).rejects.toThrow("already");
    await expect(postJson("file:///etc/passwd", {}, { signal: signal() })).rejects.toThrow("file: addresses are not supported");
  });
});
