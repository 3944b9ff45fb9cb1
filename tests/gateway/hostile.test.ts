// Hostile input against the production server (issue 8): a seeded fuzz of every /v1 route (bad JSON, wrong types, huge
// and hostile strings, NUL, lone surrogates, prototype keys, deep nesting, odd methods and content types), with valid,
// missing, malformed and unknown keys; then the issue's own cases one by one. Bad input is a 4xx in OpenAI's shape,
// never a 5xx, never an echo of unbounded input; every request answered after authentication has its usage row.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { MAX_BODY_BYTES } from "@/lib/gateway/config";
import { createTestKey, type TestKey } from "@/tests/support/gateway-factories";
import { eventually, sdkClient, startProductionServer, type ProductionServer } from "@/tests/support/production-server";
import { answered, headerOf, isFailure, openAiErrorOf, rawRequest, type RawAnswer, type RawFailure, type RawRequest } from "@/tests/support/raw-http";

/** Change it to explore; a failure names the request index, and the same seed and index rebuild the same request. */
const SEED = 0x6a7e_5eed;
const FUZZ_REQUESTS = 5_000;
const CONCURRENCY = 16;
const MODEL = "gatehouse-ngram";
/** An error message longer than this echoes input. */
const MAX_MESSAGE_CHARS = 1_024;

let server: ProductionServer;
beforeAll(async () => {
  server = await startProductionServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// The generator: every request is built from its own PRNG (seed, index), so any one of them can be rebuilt alone.

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const intBelow = (rng: Rng, n: number) => Math.floor(rng() * n);
function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[intBelow(rng, items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}
const chance = (rng: Rng, p: number) => rng() < p;

/** Markers replaced in the JSON text after stringifying: raw bytes JSON cannot express, and nesting too deep to build. */
const RAW_MARK = "\u0007RAW\u0007";
const deepMark = (levels: number, kind: "array" | "object" | "proto") => `\u0007DEEP:${kind}:${levels}\u0007`;
const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0xed, 0xa0, 0x80]), // a lone high surrogate, UTF-8-encoded (CESU): invalid UTF-8
  Buffer.from([0xed, 0xbf, 0xbf]), // a lone low surrogate
  Buffer.from([0xff]),
  Buffer.from([0xc0, 0x80]), // an overlong NUL
  Buffer.from([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
  Buffer.from([0xe2, 0x82]), // truncated
];

const PROTO_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** Sets an own enumerable property, even `__proto__` (plain assignment would replace the prototype instead). */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

function hostileString(rng: Rng): string {
  return pick(rng, [
    "\u0000",
    `${MODEL}\u0000`,
    "a\u0000b",
    "\ud800",
    "x\udfff",
    "\udc00\ud800",
    "\ud83d",
    `${MODEL}\ud800`,
    "\u0000".repeat(64),
    "__proto__",
    "constructor",
    "prototype",
    "%00",
    "%ED%A0%80",
    "\ufeff",
    "\u202e\u2066",
    "\uffff\ufffe",
    "😀".repeat(50),
    "' OR 1=1 --",
    "${7*7}{{7*7}}",
    "<script>alert(1)</script>",
    "\r\n\r\nHTTP/1.1 200 OK",
    RAW_MARK,
    `prefix ${RAW_MARK} suffix`,
    "",
    " ",
    "\t\n",
  ]);
}

function hugeString(rng: Rng): string {
  // Most under the 1 MiB body limit (refused by field limits), some over it (refused by the body limit).
  const bytes = pick(rng, [300, 4_096, 70_000, 300_000, 700_000, 1_000_000, 1_100_000, 1_300_000]);
  // NUL and lone surrogates take 6 bytes in JSON (\u0000), a CJK character 3 and an emoji 4.
  const [unit, unitBytes] = pick(rng, [["x", 1], ["ab ", 3], ["\u4e2d", 3], ["😀", 4], ["\u0000", 6], ["a\ud800", 7]] as const);
  return unit.repeat(Math.max(1, Math.floor(bytes / unitBytes)));
}

function wrongValue(rng: Rng): unknown {
  return pick<unknown>(rng, [null, true, false, 0, -1, 1.5, -0, 1e308, 2 ** 53 + 2, -(2 ** 31), "", "1", "true", [], {}, [null], [[[]]], { a: 1 }, ["x"], [1, 2, 3]]);
}

function randomValue(rng: Rng, depth = 0): unknown {
  const roll = rng();
  if (roll < 0.3) return hostileString(rng);
  if (roll < 0.38) return hugeString(rng);
  if (roll < 0.62) return wrongValue(rng);
  if (roll < 0.67) return deepMark(pick(rng, [1_000, 10_000]), pick(rng, ["array", "object", "proto"] as const));
  if (roll < 0.82 && depth < 3) return Array.from({ length: intBelow(rng, 4) }, () => randomValue(rng, depth + 1));
  if (depth < 3) {
    const object: Record<string, unknown> = {};
    for (let i = intBelow(rng, 4); i >= 0; i--) setKey(object, chance(rng, 0.5) ? pick(rng, PROTO_KEYS) : pick(rng, ["role", "content", "text", "type", "a", "x"]), randomValue(rng, depth + 1));
    return object;
  }
  return hostileString(rng);
}

type Route = "chat" | "completions" | "moderations" | "models" | "model" | "unknown";

const FIELDS: Record<"chat" | "completions" | "moderations", readonly string[]> = {
  chat: ["model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "seed", "stop", "n", "stream", "stream_options", "user", "safety_identifier"],
  completions: ["model", "prompt", "max_tokens", "temperature", "top_p", "seed", "stop", "n", "stream", "stream_options", "user", "safety_identifier", "echo", "suffix"],
  moderations: ["input", "model"],
};

function baseBody(rng: Rng, route: "chat" | "completions" | "moderations"): Record<string, unknown> {
  const stream = chance(rng, 0.2);
  if (route === "chat") return { model: MODEL, messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 4, seed: intBelow(rng, 1000), ...(stream ? { stream } : {}) };
  if (route === "completions") return { model: MODEL, prompt: "The river", max_tokens: 4, ...(stream ? { stream } : {}) };
  return { input: "The weather by the river is fine." };
}

function mutate(rng: Rng, route: "chat" | "completions" | "moderations", body: Record<string, unknown>): string {
  const fields = FIELDS[route];
  const kind = intBelow(rng, 9);
  if (kind === 0) {
    const field = pick(rng, fields);
    delete body[field];
    return `without ${field}`;
  }
  if (kind === 1) {
    const key = pick(rng, PROTO_KEYS);
    setKey(body, key, randomValue(rng));
    return `top-level ${key}`;
  }
  if (kind === 2 && route === "chat") {
    // Something wrong inside a message: its role, content, name, a content part, or a prototype key.
    const message: Record<string, unknown> = { role: "user", content: "Hello" };
    const field = pick(rng, ["role", "content", "name", "parts", ...PROTO_KEYS]);
    if (field === "parts") {
      const count = pick(rng, [1, 2, 300]);
      // Many parts carry small values only: 300 huge strings would make a body of hundreds of megabytes.
      message.content = Array.from({ length: count }, () => ({ type: pick(rng, ["text", "image_url", "__proto__"]), text: count > 2 ? hostileString(rng) : randomValue(rng) }));
    }
    else setKey(message, field, randomValue(rng));
    body.messages = [message];
    return `message ${field}`;
  }
  if (kind === 3 && route === "chat") {
    const count = pick(rng, [0, 2_049, 3_000]);
    body.messages = Array.from({ length: count }, () => ({ role: "user", content: "hi" }));
    return `${count} messages`;
  }
  if (kind === 4) {
    const field = pick(rng, fields);
    body[field] = hugeString(rng);
    return `huge ${field}`;
  }
  if (kind === 5) {
    const field = pick(rng, fields);
    body[field] = hostileString(rng);
    return `hostile ${field}`;
  }
  if (kind === 6) {
    const field = pick(rng, fields);
    body[field] = deepMark(pick(rng, [10_000, 100_000]), pick(rng, ["array", "object", "proto"] as const));
    return `deep ${field}`;
  }
  const field = pick(rng, [...fields, "unknown_field", ...PROTO_KEYS]);
  setKey(body, field, randomValue(rng));
  return `random ${field}`;
}

function deepText(kind: "array" | "object" | "proto", levels: number): string {
  if (kind === "array") return `${"[".repeat(levels)}${"]".repeat(levels)}`;
  if (kind === "object") return `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
  return `${'{"__proto__":{"constructor":{"prototype":'.repeat(levels)}{"polluted":true}${"}}}".repeat(levels)}`;
}

/** Stringifies, then swaps in the markers' raw bytes and deep nesting. */
function encodeBody(rng: Rng, value: unknown): Buffer {
  let text = JSON.stringify(value);
  text = text.replace(/"\\u0007DEEP:(array|object|proto):(\d+)\\u0007"/g, (_, kind: "array" | "object" | "proto", levels: string) => deepText(kind, Number(levels)));
  // A marker inside a string becomes raw invalid UTF-8 there.
  const parts = text.split("\\u0007RAW\\u0007");
  const buffers: Buffer[] = [];
  parts.forEach((part, index) => {
    if (index > 0) buffers.push(pick(rng, INVALID_UTF8));
    buffers.push(Buffer.from(part, "utf8"));
  });
  return Buffer.concat(buffers);
}

function brokenJson(rng: Rng, route: "chat" | "completions" | "moderations"): { body: Buffer; label: string } {
  const valid = JSON.stringify(baseBody(rng, route));
  const kind = intBelow(rng, 12);
  const bytes = (text: string) => Buffer.from(text, "utf8");
  switch (kind) {
    case 0:
      return { body: bytes(valid.slice(0, intBelow(rng, valid.length))), label: "truncated" };
    case 1:
      return { body: bytes(pick(rng, ["", " ", "null", "[]", "123", '"text"', "true", "{", "}", "[{}]", "\u0000"])), label: "not an object" };
    case 2:
      return { body: bytes(valid.replaceAll('"', "'")), label: "single quotes" };
    case 3:
      return { body: bytes(`${valid.slice(0, -1)},}`), label: "trailing comma" };
    case 4:
      return { body: bytes(`\ufeff${valid}`), label: "byte order mark" };
    case 5:
      return { body: Buffer.concat([bytes(valid.slice(0, 10)), pick(rng, INVALID_UTF8), bytes(valid.slice(10))]), label: "invalid UTF-8 outside a string" };
    case 6:
      return { body: bytes(valid.replace(/\d+/, pick(rng, ["1e999", "-1e999", "NaN", "Infinity", "0x10", "01", "1.", "-"]))), label: "bad number" };
    case 7:
      return { body: bytes(`${valid}${valid}`), label: "two documents" };
    case 8:
      return { body: bytes(deepText(pick(rng, ["array", "object", "proto"] as const), pick(rng, [10_000, 100_000]))), label: "deep document" };
    case 9:
      return { body: Buffer.from(Array.from({ length: 1 + intBelow(rng, 2_000) }, () => intBelow(rng, 256))), label: "random bytes" };
    case 10:
      return { body: bytes(valid.replace('"model"', '"model":"a","model"')), label: "duplicate keys" };
    default:
      return { body: Buffer.from(valid, "utf16le"), label: "UTF-16" };
  }
}

const CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "*/*", "application/xml", ""];

function modelPath(rng: Rng): { path: string; label: string } {
  const id = pick(rng, [
    MODEL,
    "%00",
    `${MODEL}%00`,
    "%ED%A0%80",
    "%ED%BF%BF",
    "%F0%9F%98%80",
    "%C0%80",
    "%FF",
    "%",
    "%ZZ",
    "%2F",
    "a%2Fb",
    "..%2F..%2Fetc%2Fpasswd",
    "__proto__",
    "constructor",
    "prototype",
    "x".repeat(257),
    "y".repeat(4_000),
    "%E4%B8%AD".repeat(300),
    "gpt-4o",
    "%20",
    "%0D%0Ainjected:1",
  ]);
  return { path: `/v1/models/${id}`, label: `model id ${id.length > 40 ? `${id.slice(0, 20)}…(${id.length})` : id}` };
}

const UNKNOWN_PATHS = ["/v1/embeddings", "/v1/chat", "/v1/chat/completions/x", "/v1/models/a/b", "/v1/__proto__", "/v1/constructor/prototype", "/v1/%00", "/v1/%ED%A0%80", "/v1/%ZZ", "/v1/x%2Fy", `/v1/${"z".repeat(3_000)}`, "/v1/completions/", "/v1/moderations/x"];

type KeyKind = "valid" | "none" | "malformed" | "unknown";

interface FuzzRequest {
  index: number;
  route: Route;
  keyKind: KeyKind;
  keyId: string | null;
  label: string;
  request: RawRequest;
  bodyBytes: number;
  /** The request reaches an endpoint's pipeline (right route and method) with a valid key: a usage row is due. */
  isRecordedIfAdmittedByGuards: boolean;
}

function buildRequest(index: number, keys: readonly TestKey[]): FuzzRequest {
  const rng = mulberry32((SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const route = pick(rng, ["chat", "chat", "chat", "completions", "completions", "moderations", "moderations", "models", "model", "model", "unknown"] as const);
  const defaultMethod = route === "models" || route === "model" || route === "unknown" ? "GET" : "POST";
  const method = chance(rng, 0.82) ? defaultMethod : pick(rng, ["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", defaultMethod === "GET" ? "POST" : "GET"]);

  const keyRoll = rng();
  const keyKind: KeyKind = keyRoll < 0.72 ? "valid" : keyRoll < 0.8 ? "none" : keyRoll < 0.9 ? "malformed" : "unknown";
  const key = keyKind === "valid" ? pick(rng, keys) : null;
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key.secret}`;
  if (keyKind === "malformed") {
    headers.authorization = pick(rng, [
      "Bearer",
      "Bearer ",
      "Basic dXNlcjpwYXNz",
      "bearer gk_dev_short",
      `Bearer gk_dev_${"A".repeat(42)}`,
      `Bearer gk_test_${"A".repeat(43)}`,
      `Bearer ${"x".repeat(6_000)}`,
      `Bearer gk_dev_${"A".repeat(43)} extra`,
      "Bearer %00",
      "Token abc",
      "__proto__",
    ]);
  }
  if (keyKind === "unknown") headers.authorization = `Bearer gk_${pick(rng, ["dev", "live"])}_${Array.from({ length: 43 }, () => pick(rng, [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"])).join("")}`;

  let path: string;
  let label: string;
  let body: Buffer | undefined;
  if (route === "chat" || route === "completions" || route === "moderations") {
    path = route === "chat" ? "/v1/chat/completions" : `/v1/${route}`;
    if (chance(rng, 0.22)) {
      const broken = brokenJson(rng, route);
      body = broken.body;
      label = broken.label;
    } else {
      const value = baseBody(rng, route);
      const labels: string[] = [];
      for (let i = 1 + intBelow(rng, 3); i > 0; i--) labels.push(mutate(rng, route, value));
      body = encodeBody(rng, value);
      label = labels.join(", ");
    }
    const contentType = chance(rng, 0.8) ? "application/json" : pick(rng, CONTENT_TYPES);
    if (contentType !== "") headers["content-type"] = contentType;
    if (chance(rng, 0.03)) headers["next-action"] = "0123456789abcdef";
  } else if (route === "models") {
    path = pick(rng, ["/v1/models", "/v1/models?limit=%00", "/v1/models?__proto__[x]=1", "/v1/models/"]);
    label = "list models";
  } else if (route === "model") {
    ({ path, label } = modelPath(rng));
  } else {
    path = pick(rng, UNKNOWN_PATHS);
    label = "unknown path";
  }
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") {
    if (!chance(rng, 0.05)) body = undefined;
  }

  const isPipelineRoute =
    (route === "chat" || route === "completions" || route === "moderations") ? method === "POST" : (route === "models" || route === "model") && (method === "GET" || method === "HEAD");
  return {
    index,
    route,
    keyKind,
    keyId: key?.keyId ?? null,
    label: `#${index} ${method} ${path.length > 60 ? `${path.slice(0, 60)}…` : path} key=${keyKind} ${label}${body ? ` (${body.length} bytes)` : ""}`,
    // Unauthenticated clients come from other loopback addresses: their per-address refusal limit must not block
    // the valid keys' requests (every authenticated request is expected to be recorded).
    bodyBytes: body?.length ?? 0,
    request: { method, path, headers, ...(body ? { body } : {}), localAddress: keyKind === "valid" ? "127.0.0.1" : `127.0.0.${2 + intBelow(rng, 6)}`, timeoutMs: 60_000 },
    // A trailing slash is redirected, and a path that is not percent-encoded UTF-8 is refused before any route.
    isRecordedIfAdmittedByGuards: keyKind === "valid" && isPipelineRoute && path !== "/v1/models/" && isDecodable(path),
  };
}

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path.split("?")[0] ?? "");
    return true;
  } catch {
    return false;
  }
}

async function runBounded<T>(count: number, concurrency: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await work(index);
      }
    }),
  );
  return results;
}

/** A refusal answered before the key was looked up (nothing recorded): stopping, buffer full, or this address blocked. */
function isRefusedBeforeAuthentication(answer: RawAnswer | RawFailure): boolean {
  if (isFailure(answer)) return true;
  if (answer.status === 401) return true;
  const error = openAiErrorOf(answer.body)?.error;
  if (answer.status === 503) return headerOf(answer, "x-ratelimit-limit-requests") === undefined;
  return answer.status === 429 && error?.code === "too_many_invalid_requests" && error.message.includes("from this address");
}

function describeAnswer(answer: RawAnswer | RawFailure): string {
  if (isFailure(answer)) return `transport error ${answer.error} after ${answer.ms} ms`;
  const text = answer.body.toString("utf8");
  return `${answer.status} ${text.length > 200 ? `${text.slice(0, 200)}…(${text.length} chars)` : text}`;
}

/** What is wrong with one answer, or null. */
function violationOf(fuzz: FuzzRequest, answer: RawAnswer | RawFailure): string | null {
  // A body over the limit is refused (413) without being read, and the connection closed: a client still sending
  // may see the close before the answer. Any other request must be answered.
  if (isFailure(answer)) return fuzz.bodyBytes > MAX_BODY_BYTES && (answer.error === "EPIPE" || answer.error === "ECONNRESET") ? null : "no answer";
  if (answer.status >= 500) return "5xx";
  if (answer.status < 400) return null;
  if (fuzz.request.method === "HEAD") return answer.body.length === 0 ? null : "HEAD answered with a body";
  const error = openAiErrorOf(answer.body);
  if (!error) return "4xx not in OpenAI's shape";
  if (error.error.message.length > MAX_MESSAGE_CHARS) return `message of ${error.error.message.length} chars`;
  if ((error.error.param?.length ?? 0) > MAX_MESSAGE_CHARS) return `param of ${error.error.param?.length} chars`;
  return null;
}

const usageRowsOf = (keyIds: string[]) => db.usageRecord.findMany({ where: { apiKeyId: { in: keyIds } }, select: { requestId: true, model: true, endUserId: true, status: true, isSanitized: true } });

/** Waits until at least `seconds` remain in the current minute (the refusal limiter counts in fixed wall-clock minutes). */
async function awayFromMinuteBoundary(seconds: number): Promise<void> {
  await eventually(
    async () => 60_000 - (Date.now() % 60_000),
    (remaining) => remaining > seconds * 1000,
    65_000,
  );
}

function post(path: string, body: unknown, headers: Record<string, string> = {}, localAddress = "127.0.0.1"): Promise<RawAnswer | RawFailure> {
  return rawRequest(server.url, { method: "POST", path, headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body), localAddress });
}

describe("hostile input on every /v1 route", () => {
  it(`answers ${FUZZ_REQUESTS} seeded malformed requests (seed ${SEED}) with no 5xx, shaped 4xx, short messages and a usage row for each authenticated one`, async () => {
    const common = { requestsPerMinute: 1_000_000, tokensPerMinute: 100_000_000, monthlyTokenQuota: 10_000_000_000, maxPromptTokens: 4_096, maxCompletionTokens: 64 };
    const keys = await Promise.all([
      createTestKey(common),
      createTestKey({ ...common, inputFilter: "strict", outputFilter: "strict" }),
      createTestKey({ ...common, requireEndUserId: true, perEndUserRequestsPerMinute: 1_000_000 }),
      createTestKey({ ...common, endpoints: ["models", "moderations"], topics: [{ name: "Rivers", keywords: ["river"] }] }),
    ]);
    const started = Date.now();
    const outcomes = await runBounded(FUZZ_REQUESTS, CONCURRENCY, async (index) => {
      const fuzz = buildRequest(index, keys);
      // A connection per request: a kept-alive socket the server closes as it idles would race a reuse (a reset that
      // is no fault of the server's); here any transport error is the server's.
      const answer = await rawRequest(server.url, { ...fuzz.request, agent: false });
      // Keep only what the checks need: the bodies of huge requests are dropped as soon as they are answered.
      return { fuzz: { ...fuzz, request: { ...fuzz.request, body: undefined } }, answer };
    });
    const seconds = (Date.now() - started) / 1000;

    const statusCounts = new Map<number, number>();
    for (const { answer } of outcomes) statusCounts.set(answer.status, (statusCounts.get(answer.status) ?? 0) + 1);
    const longest = Math.max(...outcomes.map(({ answer }) => answer.ms));
    console.log(`[hostile] ${FUZZ_REQUESTS} requests in ${seconds.toFixed(1)} s, longest ${longest} ms; statuses ${JSON.stringify(Object.fromEntries([...statusCounts].sort(([a], [b]) => a - b)))}`);

    // Wrong answers grouped by what is wrong, a few examples of each (the labels rebuild the requests).
    const violations = new Map<string, string[]>();
    for (const { fuzz, answer } of outcomes) {
      const violation = violationOf(fuzz, answer);
      if (violation) violations.set(violation, [...(violations.get(violation) ?? []), `${fuzz.label} -> ${describeAnswer(answer)}`]);
    }
    const wrongCount = [...violations.values()].reduce((sum, examples) => sum + examples.length, 0);
    const examples = Object.fromEntries([...violations].map(([violation, list]) => [`${violation} (${list.length})`, list.slice(0, 4)]));
    expect(examples, `${wrongCount} of ${FUZZ_REQUESTS} answers are wrong (seed ${SEED})`).toEqual({});
    expect(statusCounts.get(401) ?? 0, "unauthenticated requests were refused").toBeGreaterThan(100);
    expect(statusCounts.get(400) ?? 0, "most malformed requests reached validation").toBeGreaterThan(FUZZ_REQUESTS / 5);

    // Requests of valid keys come from an address that never sends a bad key: none may be refused before authentication.
    const dueRows = outcomes.filter(({ fuzz }) => fuzz.isRecordedIfAdmittedByGuards);
    const refusedEarly = dueRows.filter(({ answer }) => !isFailure(answer) && isRefusedBeforeAuthentication(answer)).map(({ fuzz, answer }) => `${fuzz.label} -> ${describeAnswer(answer)}`);
    expect(refusedEarly.slice(0, 10), `${refusedEarly.length} authenticated requests were refused before authentication`).toEqual([]);
    // An oversized body cut off before its 413 arrived may still have its row: its id is unknown here.
    const unanswered = dueRows.filter(({ answer }) => isFailure(answer)).length;
    const expectedIds = dueRows.filter(({ answer }) => !isFailure(answer)).map(({ answer }) => headerOf(answer, "x-request-id") ?? "missing");
    expect(expectedIds.filter((id) => !id.startsWith("req_"))).toEqual([]);

    const keyIds = keys.map((key) => key.keyId);
    const rows = await eventually(
      () => usageRowsOf(keyIds),
      (found) => {
        const ids = new Set(found.map((row) => row.requestId));
        return expectedIds.every((id) => ids.has(id));
      },
      30_000,
    );
    const stored = new Set(rows.map((row) => row.requestId));
    const missing = dueRows.filter(({ answer }) => !isFailure(answer) && !stored.has(headerOf(answer, "x-request-id") ?? "")).map(({ fuzz, answer }) => `${fuzz.label} -> ${describeAnswer(answer)}`);
    const transportErrors = outcomes.filter(({ answer }) => isFailure(answer)).length;
    console.log(`[hostile] usage rows: ${rows.length} stored for ${expectedIds.length} authenticated requests answered (+${unanswered} oversized ones cut off); ${missing.length} missing; ${transportErrors} oversized bodies cut off in all`);
    expect(missing.slice(0, 10), `${missing.length} of ${expectedIds.length} authenticated requests have no usage row`).toEqual([]);
    const expected = new Set(expectedIds);
    // No row for anything else: refusals before authentication, unknown paths, 405s and OPTIONS record nothing.
    expect(rows.filter((row) => !expected.has(row.requestId)).length, "rows of requests not answered after authentication").toBeLessThanOrEqual(unanswered);
    expect(rows.length).toBeGreaterThanOrEqual(expectedIds.length);
    // Validated at the edge: nothing reached the database that had to be sanitised, and every string is bounded.
    expect(rows.filter((row) => row.isSanitized || row.model.length > 256 || (row.endUserId?.length ?? 0) > 256)).toEqual([]);

    // Still healthy: the health check and an ordinary completion.
    const health = answered(await rawRequest(server.url, { method: "GET", path: "/api/health" }));
    expect(health.status).toBe(200);
    const completion = await sdkClient(server, keys[0]?.secret ?? "").chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Tell me about the old mill." }], max_tokens: 8 });
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
  }, 300_000);

  it("refuses a 700 KB model name with a short message and stores no more than a bounded model in the usage row", async () => {
    const key = await createTestKey();
    const answer = answered(await post("/v1/chat/completions", { model: "m".repeat(700 * 1024), messages: [{ role: "user", content: "Hi" }] }, { authorization: `Bearer ${key.secret}` }));
    expect(answer.status).toBe(400);
    const error = openAiErrorOf(answer.body)?.error;
    expect(error).toMatchObject({ param: "model", type: "invalid_request_error" });
    expect(error?.message.length).toBeLessThan(300);
    const requestId = headerOf(answer, "x-request-id");
    const [row] = await eventually(
      () => db.usageRecord.findMany({ where: { requestId } }),
      (rows) => rows.length === 1,
    );
    expect(row?.status).toBe(400);
    expect(row?.model.length).toBeLessThanOrEqual(256);
  });

  it("refuses NUL and lone surrogates in user, safety_identifier, model, message content and the model path with a 400 naming the param, and loses none of 20 concurrent good requests' rows", async () => {
    const key = await createTestKey({ requestsPerMinute: 10_000, tokensPerMinute: 10_000_000 });
    const auth = { authorization: `Bearer ${key.secret}` };
    const good = { model: MODEL, messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 4 };
    const bad: { label: string; param: string; send: () => Promise<RawAnswer | RawFailure> }[] = [];
    for (const [name, value] of [
      ["NUL", "a\u0000b"],
      ["lone surrogate", "a\ud800b"],
    ] as const) {
      bad.push({ label: `${name} in user`, param: "user", send: () => post("/v1/chat/completions", { ...good, user: value }, auth) });
      bad.push({ label: `${name} in safety_identifier`, param: "safety_identifier", send: () => post("/v1/chat/completions", { ...good, safety_identifier: value }, auth) });
      bad.push({ label: `${name} in model`, param: "model", send: () => post("/v1/chat/completions", { ...good, model: `${MODEL}${value}` }, auth) });
      bad.push({ label: `${name} in content`, param: "messages[0].content", send: () => post("/v1/chat/completions", { ...good, messages: [{ role: "user", content: value }] }, auth) });
      bad.push({ label: `${name} in prompt`, param: "prompt", send: () => post("/v1/completions", { model: MODEL, prompt: value, max_tokens: 4 }, auth) });
      bad.push({ label: `${name} in moderation input`, param: "input", send: () => post("/v1/moderations", { input: value }, auth) });
    }
    bad.push({ label: "%00 in the model path", param: "model", send: () => rawRequest(server.url, { method: "GET", path: "/v1/models/a%00b", headers: auth }) });

    // A lone surrogate cannot be percent-encoded (URLs are UTF-8): its CESU bytes are refused as an invalid path,
    // before authentication, so it has no usage row.
    const surrogatePath = rawRequest(server.url, { method: "GET", path: "/v1/models/a%ED%A0%80b", headers: auth });
    const [badAnswers, goodAnswers] = await Promise.all([
      Promise.all(bad.map((item) => item.send())),
      Promise.all(Array.from({ length: 20 }, () => post("/v1/chat/completions", good, auth))),
    ]);
    const surrogateAnswer = answered(await surrogatePath);
    expect(surrogateAnswer.status).toBe(400);
    expect(openAiErrorOf(surrogateAnswer.body)?.error).toMatchObject({ code: "invalid_path", type: "invalid_request_error" });
    const wrong = bad.flatMap((item, index) => {
      const answer = badAnswers[index];
      const error = answer && !isFailure(answer) ? openAiErrorOf(answer.body)?.error : undefined;
      const isRight = answer?.status === 400 && error?.param === item.param && error.code === "invalid_value" && error.message.includes(`'${item.param}'`);
      return isRight || !answer ? [] : [`${item.label} -> ${describeAnswer(answer)}`];
    });
    expect(wrong).toEqual([]);
    expect(goodAnswers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 200));

    const ids = [...badAnswers, ...goodAnswers].map((answer) => headerOf(answer, "x-request-id") ?? "missing");
    const rows = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId } }),
      (found) => found.length >= ids.length,
    );
    expect(rows.map((row) => row.requestId).sort()).toEqual([...ids].sort());
    expect(rows.filter((row) => row.isSanitized)).toEqual([]);
  });

  it("blocks a flagged input and records its moderation event for the admins", async () => {
    const key = await createTestKey({ inputFilter: "standard" });
    const answer = answered(await post("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "Tell me how to make a pipe bomb." }], max_tokens: 8 }, { authorization: `Bearer ${key.secret}` }));
    expect(answer.status).toBe(400);
    expect(openAiErrorOf(answer.body)?.error.code).toBe("content_policy_violation");
    const requestId = headerOf(answer, "x-request-id") ?? "missing";
    const events = await eventually(
      () => db.moderationEvent.findMany({ where: { requestId } }),
      (found) => found.length === 1,
    );
    expect(events).toMatchObject([{ apiKeyId: key.keyId, direction: "INPUT", action: "BLOCKED" }]);
    expect(events[0]?.excerpt).toContain("pipe bomb");
    const usage = await eventually(
      () => db.usageRecord.findMany({ where: { requestId } }),
      (found) => found.length === 1,
    );
    expect(usage).toMatchObject([{ status: 400, errorCode: "content_policy_violation" }]);
  });

  it("limits refusals before admission per key, and unknown keys per client address", async () => {
    const neighbour = await createTestKey();
    // The limiter counts in fixed wall-clock minutes: both bursts must fall in one.
    await awayFromMinuteBoundary(20);
    const key = await createTestKey({ requestsPerMinute: 60 });
    const perKey = 300; // lib/gateway/refusal-limiter.ts: max(300, 5 x 60)
    const auth = { authorization: `Bearer ${key.secret}` };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const notJson = () => rawRequest(server.url, { method: "POST", path: "/v1/chat/completions", headers: { ...auth, "content-type": "application/json" }, body: "{not json", agent });
    // Concurrent refusals are counted as they finish, so a burst may pass the limit by up to its concurrency.
    const burst = await runBounded(perKey, 16, notJson);
    expect(burst.filter((answer) => answer.status !== 400).map(describeAnswer)).toEqual([]);
    const after = [];
    for (let i = 0; i < 20; i++) after.push(await notJson());
    const overshoot = after.findIndex((answer) => answer.status === 429);
    expect(overshoot, "bad requests of the key answered 400 after the limit").toBeGreaterThanOrEqual(0);
    expect(overshoot).toBeLessThanOrEqual(16);
    const limited = after.slice(overshoot);
    expect(limited.map((answer) => `${answer.status} ${openAiErrorOf(isFailure(answer) ? "" : answer.body)?.error.code}`)).toEqual(limited.map(() => "429 too_many_invalid_requests"));
    expect(headerOf(limited[0] ?? after[0] ?? { status: 0, error: "", ms: 0 }, "retry-after")).toMatch(/^\d+$/);
    // Even a good request of that key waits for the window; requests refused after authentication are recorded.
    const good = answered(await post("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 4 }, auth));
    expect(good.status).toBe(429);
    const sent = burst.length + after.length + 1;
    expect(await eventually(() => db.usageRecord.count({ where: { apiKeyId: key.keyId } }), (count) => count === sent)).toBe(sent);
    console.log(`[hostile] per-key refusal limit ${perKey}: ${perKey + overshoot} refused with 400 before the first 429`);

    const perAddress = 120; // ADDRESS_REFUSALS_PER_MINUTE
    // A different unknown key each time: each would cost a database lookup (a repeated one is answered from the cache).
    const unknown = () => `Bearer gk_dev_${randomBytes(32).toString("base64url")}`;
    const fromFlooder = () => rawRequest(server.url, { method: "GET", path: "/v1/models", headers: { authorization: unknown() }, localAddress: "127.0.0.40", agent });
    // A valid key already in use from that address (so cached) must keep working through the flood. It was created
    // at the start of this test: a lookup that overlaps the NOTIFY announcing a key's creation is not cached.
    const fromNeighbour = () => rawRequest(server.url, { method: "GET", path: "/v1/models", headers: { authorization: `Bearer ${neighbour.secret}` }, localAddress: "127.0.0.40" });
    expect(answered(await fromNeighbour()).status).toBe(200);
    const flood = await runBounded(perAddress, 16, fromFlooder);
    expect(flood.filter((answer) => answer.status !== 401).map(describeAnswer)).toEqual([]);
    const later = [];
    for (let i = 0; i < 20; i++) later.push(await fromFlooder());
    agent.destroy();
    const addressOvershoot = later.findIndex((answer) => answer.status === 429);
    expect(addressOvershoot, "unknown keys answered 401 after the limit").toBeGreaterThanOrEqual(0);
    expect(addressOvershoot).toBeLessThanOrEqual(16);
    const blocked = later.slice(addressOvershoot);
    expect(blocked.map((answer) => `${answer.status} ${openAiErrorOf(isFailure(answer) ? "" : answer.body)?.error.code}`)).toEqual(blocked.map(() => "429 too_many_invalid_requests"));
    console.log(`[hostile] per-address refusal limit ${perAddress}: ${perAddress + addressOvershoot} answered 401 before the first 429`);
    expect(answered(await fromNeighbour()).status).toBe(200);
    // Another client is not affected.
    const other = await createTestKey();
    const fine = answered(await rawRequest(server.url, { method: "GET", path: "/v1/models", headers: { authorization: `Bearer ${other.secret}` }, localAddress: "127.0.0.41" }));
    expect(fine.status).toBe(200);
  }, 90_000);

  it("keeps small requests fast while a 96 KB unbroken prompt and a 600 KB CJK prompt are counted", async () => {
    const key = await createTestKey({ maxPromptTokens: 1_000_000, maxCompletionTokens: 8, requestsPerMinute: 10_000, tokensPerMinute: 100_000_000, monthlyTokenQuota: 10_000_000_000 });
    const auth = { authorization: `Bearer ${key.secret}` };
    const small = () => post("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "Hello there." }], max_tokens: 2 }, auth);
    // The machine's own noise, measured the way the delay is: the slowest of a few small requests alone.
    const baseline: number[] = [];
    for (let i = 0; i < 10; i++) baseline.push(answered(await small()).ms);
    const typical = Math.max(...baseline);

    const rng = mulberry32(SEED);
    // One 96 KB word (random letters would spell something the input filter refuses before generation).
    const letters = "river".repeat(20_000).slice(0, 96 * 1024);
    const cjk = Array.from({ length: (600 * 1024) / 3 }, () => String.fromCharCode(0x4e00 + intBelow(rng, 0x5000))).join("");
    for (const [name, content] of [
      ["96 KB unbroken", letters],
      ["600 KB CJK", cjk],
    ] as const) {
      let isDone = false;
      const big = post("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content }], max_tokens: 2 }, auth).finally(() => (isDone = true));
      const latencies: number[] = [];
      while (!isDone || latencies.length < 3) latencies.push(answered(await small()).ms);
      const bigAnswer = answered(await big);
      const worst = Math.max(...latencies);
      console.log(`[hostile] ${name} prompt: answered ${bigAnswer.status} in ${bigAnswer.ms} ms; ${latencies.length} small requests meanwhile, slowest ${worst} ms (alone: slowest of 10 ${typical} ms)`);
      // Counted, moderated and answered in full, not refused on the way.
      expect(bigAnswer.status).toBe(200);
      expect(worst - typical, `a small request was delayed by the ${name} prompt`).toBeLessThanOrEqual(500);
    }
  }, 120_000);
});
