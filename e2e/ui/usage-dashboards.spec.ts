// Usage dashboards: an applicant's calls show in charts and totals, filter by key, and export as CSV; an admin
// filters every organisation's usage by organisation; the CSV export refuses visitors and other roles.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { parseCsv } from "../../tests/support/csv";
import { horizontalOverflow } from "../accessibility";
import { storageStateFor } from "../fixtures";

/** Collects CSP violations (console reports and securitypolicyviolation events): recharts must render under the policy. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => console.error(`Content-Security-Policy violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  return violations;
}

test.describe("applicant", () => {
  test.use({ storageState: storageStateFor("APPLICANT") });

  test("an applicant's API calls show in the charts and totals, filter by key, and download as CSV", async ({ page }) => {
    // Creates a key, makes four calls and loads the dashboard several times: slow on a busy 2-core machine.
    test.setTimeout(120_000);
    const csp = await watchCsp(page);
    const name = `Usage key ${randomBytes(3).toString("hex")}`;
    await page.goto("/applicant/keys");
    await page.getByLabel("New key name").first().fill(name);
    await page.getByRole("button", { name: "Create key" }).first().click();
    const secret = await page.getByTestId("secret-reveal").getByRole("textbox").inputValue();
    const prefix = secret.slice(0, 11);

    const headers = { authorization: `Bearer ${secret}` };
    for (let i = 0; i < 3; i++) {
      const response = await page.request.post("/v1/chat/completions", { headers, data: { model: "gatehouse-ngram", messages: [{ role: "user", content: `Hello ${i}` }], max_tokens: 8 } });
      expect(response.status()).toBe(200);
    }
    const failed = await page.request.post("/v1/chat/completions", { headers, data: { model: "no-such-model", messages: [{ role: "user", content: "Hi" }] } });
    expect(failed.status()).toBeGreaterThanOrEqual(400);

    await page.goto("/applicant/usage");
    await expect(page.getByRole("heading", { name: "Usage", level: 1 })).toBeVisible();
    await page.getByLabel("Key", { exact: true }).selectOption({ label: `${name} (${prefix}…, Demo Labs)` });
    await page.getByLabel("Time range").selectOption("24h");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]key=/);
    // The gateway stores usage in batches about once a second: reload until the four calls are counted.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("usage-total-requests")).toHaveText("4", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId("usage-total-errors")).toHaveText("1");
    for (const chart of ["requests", "tokens", "errors", "latency"]) {
      await expect(page.getByTestId(`usage-chart-${chart}`).locator("svg.recharts-surface").first()).toBeVisible();
    }
    await page.getByText("Requests: show the numbers as a table", { exact: true }).click();
    await expect(page.getByRole("table", { name: "Requests per hour (UTC)" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Errors by code" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Monthly token quota used per grant" })).toContainText("Within quota");

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await (await download).path();
    const rows = parseCsv(await readFile(file, "utf8"));
    expect(rows[0]?.slice(0, 5)).toEqual(["request_id", "time", "organization", "key_prefix", "key_name"]);
    expect(rows).toHaveLength(5);
    for (const row of rows.slice(1)) expect(row.slice(2, 5)).toEqual(["Demo Labs", prefix, name]);
    expect(rows.slice(1).map((row) => row[8]).sort()).toEqual(["200", "200", "200", String(failed.status())].sort());
    expect((await readFile(file, "utf8")).includes(secret)).toBe(false);
    expect(csp).toEqual([]);
  });

  test("a bad or foreign filter is explained on the page, and the export refuses it", async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto("/applicant/usage?range=forever");
    await expect(page.getByText("Choose one of the listed time ranges.")).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "These filters cannot be used" })).toBeVisible();
    const response = await page.goto("/applicant/usage?org=someone-elses-org");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("alert").filter({ hasText: "That organisation does not exist or is not one of yours." })).toBeVisible();
    const exported = await page.request.get("/applicant/usage/export?org=someone-elses-org");
    expect(exported.status()).toBe(404);
    expect(await exported.text()).not.toContain("request_id");
    expect((await page.request.get("/admin/usage/export")).status()).toBe(403);
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageStateFor("ADMIN") });

  test("an admin sees the dashboard and filters it by organisation", async ({ page, browser }) => {
    test.setTimeout(90_000);
    const csp = await watchCsp(page);
    await page.goto("/admin/usage");
    await expect(page.getByRole("heading", { name: "Totals" })).toBeVisible();
    await page.getByLabel("Organisation", { exact: true }).selectOption({ label: "Demo Labs" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/[?&]org=/);
    await expect(page.getByLabel("Organisation", { exact: true })).toHaveValue(/.+/);
    await expect(page.getByTestId("usage-total-requests")).toBeVisible();
    const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(href).toMatch(/^\/admin\/usage\/export\?.*org=/);
    const exported = await page.request.get(href ?? "");
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-type"]).toContain("text/csv");
    const rows = parseCsv(await exported.text());
    for (const row of rows.slice(1)) expect(row[2]).toBe("Demo Labs");
    await expect(page.getByRole("region", { name: "Monthly token quota used per grant" })).toContainText("Demo Labs");
    expect(csp).toEqual([]);

    // On a phone the page does not scroll sideways, and the month's table (one call this month at least, made here)
    // shows its requests and totals without scrolling.
    const applicant = await browser.newContext({ storageState: storageStateFor("APPLICANT") });
    const applicantPage = await applicant.newPage();
    await applicantPage.goto("/applicant/keys");
    await applicantPage.getByLabel("New key name").first().fill(`Phone check ${randomBytes(3).toString("hex")}`);
    await applicantPage.getByRole("button", { name: "Create key" }).first().click();
    const secret = await applicantPage.getByTestId("secret-reveal").getByRole("textbox").inputValue();
    const call = await applicantPage.request.post("/v1/chat/completions", { headers: { authorization: `Bearer ${secret}` }, data: { model: "gatehouse-ngram", messages: [{ role: "user", content: "Hello" }], max_tokens: 4 } });
    expect(call.status()).toBe(200);
    await applicant.close();
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(async () => {
      await page.goto("/admin/usage");
      await expect(page.getByRole("region", { name: "Usage by organisation" })).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await page.getByRole("region", { name: "Usage by organisation" }).evaluate((region) => region.scrollWidth - region.clientWidth)).toBeLessThanOrEqual(0);
  });
});

test("a visitor gets 401 from the CSV exports", async ({ request }) => {
  for (const path of ["/applicant/usage/export", "/admin/usage/export"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(401);
  }
});
