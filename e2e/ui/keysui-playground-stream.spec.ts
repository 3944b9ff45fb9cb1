import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { storageStateFor } from "../fixtures";

test.use({ storageState: storageStateFor("APPLICANT") });

test("the playground streams an answer with a fresh key and shows the API's error once the key is revoked", async ({ page }) => {
  const name = `Playground ${randomBytes(3).toString("hex")}`;
  await page.goto("/applicant/keys");
  await page.getByLabel("New key name").first().fill(name);
  await page.getByRole("button", { name: "Create key" }).first().click();
  const secret = await page.getByTestId("secret-reveal").getByRole("textbox").inputValue();
  const prefix = secret.slice(0, 11);

  await page.goto("/applicant/playground");
  await page.getByLabel("API key secret").fill(secret);
  await page.getByRole("button", { name: "Load models" }).click();
  await expect(page.getByText(/This key may use \d+ model/)).toBeVisible();
  await expect(page.getByLabel("Model")).toHaveValue("gatehouse-ngram");
  await page.getByLabel("Max tokens").fill("32");
  await page.getByLabel("Seed").fill("7");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText(/^Finished/)).toBeVisible();
  await expect(page.getByTestId("playground-output")).not.toHaveText("The streamed answer appears here.");
  await expect(page.getByTestId("playground-error")).toHaveCount(0);

  // A bad key: the gateway's OpenAI-shaped error.message is shown as is.
  await page.getByLabel("API key secret").fill(`gk_dev_${"x".repeat(43)}`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("playground-error")).toContainText(/key/i);
  // A temperature the browser refuses blocks the send with the browser's message; the earlier error does not linger.
  await page.getByLabel("Temperature").fill("3");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("playground-error")).toHaveCount(0);
  expect(await page.getByLabel("Temperature").evaluate((input: HTMLInputElement) => input.validity.rangeOverflow)).toBe(true);
  await page.getByLabel("Temperature").fill("1");

  // Revoke the key; the very next request is refused.
  await page.goto("/applicant/keys");
  const row = page.getByTestId(`key-row-${prefix}`);
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await page.goto("/applicant/playground");
  await page.getByLabel("API key secret").fill(secret);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("playground-error")).toContainText(/revoked|invalid|key/i);
});

test("a key created in the keys page works with the official openai SDK against the production server", async ({ page, baseURL }) => {
  const name = `SDK ${randomBytes(3).toString("hex")}`;
  await page.goto("/applicant/keys");
  await page.getByLabel("New key name").first().fill(name);
  await page.getByRole("button", { name: "Create key" }).first().click();
  const secret = await page.getByTestId("secret-reveal").getByRole("textbox").inputValue();
  const client = new OpenAI({ apiKey: secret, baseURL: `${baseURL}/v1`, maxRetries: 0 });

  const models = await client.models.list();
  expect(models.data.map((model) => model.id)).toContain("gatehouse-ngram");

  const request = { model: "gatehouse-ngram", messages: [{ role: "user" as const, content: "Tell me about the city council." }], max_tokens: 24, seed: 11 };
  const completion = await client.chat.completions.create(request);
  const text = completion.choices[0]?.message.content ?? "";
  expect(text.length).toBeGreaterThan(0);
  expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(24);

  const stream = await client.chat.completions.create({ ...request, stream: true });
  let streamed = "";
  for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? "";
  expect(streamed).toBe(text);

  const moderation = await client.moderations.create({ input: "I will kill you" });
  expect(moderation.results[0]?.flagged).toBe(true);

  // Leave the demo grant's key cap as it was.
  await page.goto("/applicant/keys");
  const row = page.getByTestId(`key-row-${secret.slice(0, 11)}`);
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
});
