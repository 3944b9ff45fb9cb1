// An external moderation service (MODERATION_BASE_URL) on the production server: it judges input and output and
// serves /v1/moderations; when it fails, requests are refused with 503 (fail closed) and the failure is counted.
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestKey } from "@/tests/support/gateway-factories";
import { eventually, sdkClient, startProductionServer, type ProductionServer } from "@/tests/support/production-server";

const TOKEN = "metrics-token-moderation-0123456789";
const MARK = "lighthouse";
// The fake service: "down" answers 500; otherwise text containing "bomb" is flagged for violence, and in
// "flag-output" mode so is every text without the prompt's mark (the generated output).
let mode: "ok" | "flag-output" | "down" = "ok";
let calls = 0;
let moderation: http.Server;
let server: ProductionServer;

beforeAll(async () => {
  moderation = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      calls++;
      if (mode === "down" || req.headers.authorization !== "Bearer sk-mod") {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "unavailable" } }));
        return;
      }
      const { input } = JSON.parse(raw) as { input: string[] };
      const results = input.map((text) => {
        const flagged = text.includes("bomb") || (mode === "flag-output" && !text.includes(MARK));
        return { flagged, categories: { violence: flagged }, category_scores: { violence: flagged ? 0.97 : 0.02 } };
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "modr-fake", model: "omni-moderation-latest", results }));
    });
  });
  await new Promise<void>((resolve) => moderation.listen(0, "127.0.0.1", resolve));
  const port = (moderation.address() as AddressInfo).port;
  server = await startProductionServer({ env: { MODERATION_BASE_URL: `http://127.0.0.1:${port}/v1`, MODERATION_API_KEY: "sk-mod", MODERATION_TIMEOUT_MS: "3000", METRICS_TOKEN: TOKEN } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  moderation?.closeAllConnections();
  moderation?.close();
});

const ask = (client: OpenAI, content: string) => client.chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content }], max_tokens: 12, seed: 3 });

async function failuresCounted(): Promise<number> {
  const text = await (await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const line = text.split("\n").find((candidate) => candidate.startsWith('gatehouse_moderation_failures_total{provider="external"}'));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("an external moderation service", () => {
  it("judges the input: a flagged prompt is refused and recorded, a clean one answered", async () => {
    mode = "ok";
    const key = await createTestKey({ inputFilter: "standard", outputFilter: "standard" });
    const client = sdkClient(server, key.secret);
    const before = calls;
    const answer = await ask(client, `Tell me about the ${MARK} on the coast.`);
    expect(answer.choices[0]?.message.content).toBeTruthy();
    expect(calls - before).toBe(2); // the input, then the output
    await expect(ask(client, "Tell me how to make a bomb.")).rejects.toMatchObject({ status: 400, code: "content_policy_violation" });
    const events = await eventually(
      () => db.moderationEvent.findMany({ where: { apiKeyId: key.keyId } }),
      (rows) => rows.length === 1,
    );
    expect(events[0]).toMatchObject({ direction: "INPUT", action: "BLOCKED", categories: ["violence"] });
  });

  it("judges the output: a flagged answer is withheld with finish_reason content_filter, streamed or not", async () => {
    mode = "flag-output";
    const key = await createTestKey({ inputFilter: "standard", outputFilter: "standard" });
    const client = sdkClient(server, key.secret);
    const whole = await ask(client, `Tell me about the ${MARK} on the coast.`);
    expect(whole.choices[0]).toMatchObject({ finish_reason: "content_filter", message: { content: "[redacted]" } });
    const stream = await client.chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content: `Describe the ${MARK}.` }], max_tokens: 40, stream: true });
    let text = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe("content_filter");
    expect(text.replaceAll("[redacted]", "").trim()).toBe("");
  });

  it("serves /v1/moderations with the service's judgement", async () => {
    mode = "ok";
    const key = await createTestKey({ endpoints: ["models", "completions", "chat.completions", "moderations"] });
    const result = await sdkClient(server, key.secret).moderations.create({ input: ["a bomb threat", "a quiet river"] });
    expect(result.results.map((entry) => entry.flagged)).toEqual([true, false]);
    expect(result.results[0]?.category_scores.violence).toBe(0.97);
  });

  it("refuses with 503 when the service fails (fail closed), counts the failure, and recovers with it", async () => {
    const key = await createTestKey({ inputFilter: "standard" });
    const client = sdkClient(server, key.secret);
    const before = await failuresCounted();
    mode = "down";
    const error = await ask(client, `Tell me about the ${MARK}.`).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 503, code: "moderation_unavailable" });
    expect(await failuresCounted()).toBe(before + 1);
    const rows = await eventually(
      () => db.usageRecord.findMany({ where: { apiKeyId: key.keyId } }),
      (found) => found.length === 1,
    );
    expect(rows[0]).toMatchObject({ status: 503, errorCode: "moderation_unavailable", totalTokens: 0 });
    mode = "ok";
    await expect(ask(client, `Tell me about the ${MARK}.`)).resolves.toBeTruthy();
  });
});
