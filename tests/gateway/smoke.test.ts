import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestKey, sdkClient, startGatewayServer, type TestServer } from "@/tests/support/gateway-factories";

let server: TestServer;
beforeAll(async () => {
  server = await startGatewayServer();
}, 120_000);
afterAll(async () => server.close());

it("smoke", async () => {
  const key = await createTestKey();
  const client = sdkClient(server, key.secret);
  const res = await client.chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content: "Tell me about the weather in spring." }], max_tokens: 30, seed: 1 });
  console.log(JSON.stringify(res));
  const stream = await client.chat.completions.create({ model: "gatehouse-ngram", messages: [{ role: "user", content: "Tell me about the weather in spring." }], max_tokens: 30, seed: 1, stream: true, stream_options: { include_usage: true } });
  let text = "";
  for await (const chunk of stream) { text += chunk.choices[0]?.delta.content ?? ""; if (chunk.usage) console.log(chunk.usage); }
  console.log(text);
  expect(text).toBe(res.choices[0]?.message.content);
  const models = await client.models.list();
  console.log(models.data);
});
