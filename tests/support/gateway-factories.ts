// Gateway test helpers: organisations with keys of chosen scopes, and a real HTTP server over the /v1 handlers.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import OpenAI from "openai";
import { db } from "@/lib/db";
import { MAX_BODY_BYTES, type GatewayConfig, type UpstreamConfig } from "@/lib/gateway/config";
import { handleChatCompletions, handleCompletions, handleListModels, handleModerations, handleRetrieveModel } from "@/lib/gateway/endpoints";
import { methodNotAllowed } from "@/lib/gateway/pipeline";
import { createRuntime, warmUpGateway, type GatewayRuntime } from "@/lib/gateway/runtime";
import { defaultDevelopmentScopes, type KeyScopes } from "@/lib/keys/scopes";
import { createKeyUnderGrant, issueKeyGrant } from "@/lib/keys/service";

/** One model file for every test file (built on first use, written atomically). */
export const TEST_DATA_DIR = path.join(os.tmpdir(), "gatehouse-test-models");

export function testGatewayConfig(upstream: UpstreamConfig | null = null): GatewayConfig {
  return { dataDir: TEST_DATA_DIR, upstream, maxBodyBytes: MAX_BODY_BYTES };
}

export interface TestKey {
  organizationId: string;
  grantId: string;
  keyId: string;
  secret: string;
}

/** A fresh organisation with a grant of `scopes` (defaults: the development sandbox) and one key under it. */
export async function createTestKey(scopes: Partial<KeyScopes> = {}): Promise<TestKey> {
  const organization = await db.organization.create({ data: { name: `Org ${randomBytes(4).toString("hex")}` } });
  return db.$transaction(async (tx) => {
    const grant = await issueKeyGrant({ organizationId: organization.id, applicationId: null, kind: "DEVELOPMENT", scopes: { ...defaultDevelopmentScopes, ...scopes }, actorId: null }, tx);
    const key = await createKeyUnderGrant({ grantId: grant.id, name: "Test key", createdById: null }, tx);
    return { organizationId: organization.id, grantId: grant.id, keyId: key.id, secret: key.secret };
  });
}

/** Dispatches a Web Request to the gateway's endpoint handlers like the App Router would. */
export async function dispatch(runtime: GatewayRuntime, request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const method = request.method;
  if (pathname === "/v1/chat/completions") return method === "POST" ? handleChatCompletions(runtime, request) : methodNotAllowed("POST");
  if (pathname === "/v1/completions") return method === "POST" ? handleCompletions(runtime, request) : methodNotAllowed("POST");
  if (pathname === "/v1/moderations") return method === "POST" ? handleModerations(runtime, request) : methodNotAllowed("POST");
  if (pathname === "/v1/models") return method === "GET" ? handleListModels(runtime, request) : methodNotAllowed("GET");
  const model = /^\/v1\/models\/([^/]+)$/.exec(pathname);
  if (model?.[1]) return method === "GET" ? handleRetrieveModel(runtime, request, decodeURIComponent(model[1])) : methodNotAllowed("GET");
  return new Response("not found", { status: 404 });
}

export interface TestServer {
  url: string;
  runtime: GatewayRuntime;
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port serving the gateway with its own runtime. */
export async function startGatewayServer(config: GatewayConfig = testGatewayConfig(), options: { flushIntervalMs?: number } = {}): Promise<TestServer> {
  // Load (or, on the very first run, train) the model and compile the classifier before the first request.
  await warmUpGateway(config);
  const runtime = createRuntime(config, options);
  const server: Server = createServer((req, res) => {
    const url = `http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`;
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, { method: req.method, headers, ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}) });
    void dispatch(runtime, request)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) {
          const reader = response.body.getReader();
          for (let step = await reader.read(); !step.done; step = await reader.read()) res.write(step.value);
        }
        res.end();
      })
      .catch((error: unknown) => {
        console.error(error);
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.usage.flush();
    },
  };
}

export function sdkClient(server: { url: string }, apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0, timeout: 20_000 });
}
