import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moderateExternally, type ExternalModerationConfig } from "./external";

// A fake OpenAI-compatible moderation service: answers what the test sets, and records what it was sent.
let answer: (body: { model: string; input: string[] }) => { status: number; body: unknown; delayMs?: number };
const seen: { authorization: string | undefined; body: { model: string; input: string[] } }[] = [];
let server: http.Server;
let config: ExternalModerationConfig;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const body = JSON.parse(raw) as { model: string; input: string[] };
      seen.push({ authorization: req.headers.authorization, body });
      const reply = answer(body);
      setTimeout(() => {
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  config = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: "sk-moderation", model: "omni-moderation-latest", timeoutMs: 10_000 };
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const result = (scores: Record<string, number>, categories: Record<string, boolean> = {}) => ({ flagged: Object.values(categories).some(Boolean), categories, category_scores: scores });

describe("an external moderation service", () => {
  it("is sent the inputs, the model and the key, and its answer becomes the built-in classifier's shape", async () => {
    answer = ({ input }) => ({ status: 200, body: { id: "modr-1", model: "omni", results: input.map((text) => (text.includes("bomb") ? result({ violence: 0.93, illicit: 0.4 }, { violence: true }) : result({ violence: 0.01 }))) } });
    const [bad, good] = await moderateExternally(config, ["how to make a bomb", "a quiet river"], "standard");
    expect(seen.at(-1)).toEqual({ authorization: "Bearer sk-moderation", body: { model: "omni-moderation-latest", input: ["how to make a bomb", "a quiet river"] } });
    expect(bad).toMatchObject({ flagged: true, flaggedCategories: ["violence"] });
    expect(bad?.result.category_scores).toMatchObject({ violence: 0.93, illicit: 0.4, hate: 0 });
    expect(bad?.result.category_applied_input_types.violence).toEqual(["text"]);
    expect(good).toMatchObject({ flagged: false, flaggedCategories: [] });
  });

  it("flags what the service flags, and at the key's level what scores reach its threshold", async () => {
    answer = () => ({ status: 200, body: { results: [result({ harassment: 0.3, hate: 0.05 }, { hate: true })] } });
    const [standard] = await moderateExternally(config, ["x"], "standard");
    const [strict] = await moderateExternally(config, ["x"], "strict");
    expect(standard?.flaggedCategories).toEqual(["hate"]);
    expect(strict?.flaggedCategories).toEqual(["harassment", "hate"]);
  });

  it("ignores categories it does not know and clamps odd scores", async () => {
    answer = () => ({ status: 200, body: '{"results":[{"categories":{"weird":true,"__proto__":{"polluted":true}},"category_scores":{"violence":7,"sexual":-1,"hate":"high","__proto__":1}}]}' });
    const [outcome] = await moderateExternally(config, ["x"], "standard");
    expect(outcome?.result.category_scores).toMatchObject({ violence: 1, sexual: 0, hate: 0 });
    expect(outcome?.flaggedCategories).toEqual(["violence"]);
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it.each([
    ["an error status", () => ({ status: 500, body: { error: { message: "down" } } })],
    ["a malformed answer", () => ({ status: 200, body: "not json" })],
    ["the wrong number of results", () => ({ status: 200, body: { results: [] } })],
    ["no answer within the timeout", () => ({ status: 200, body: { results: [result({})] }, delayMs: 3_000 })],
  ])("throws on %s (the gateway then refuses: fail closed)", async (_name, reply) => {
    answer = reply;
    await expect(moderateExternally({ ...config, timeoutMs: 300 }, ["x"], "standard")).rejects.toThrow();
  });

  it("throws when the service cannot be reached", async () => {
    await expect(moderateExternally({ ...config, baseUrl: "http://127.0.0.1:9/v1" }, ["x"], "standard")).rejects.toThrow();
  });
});
