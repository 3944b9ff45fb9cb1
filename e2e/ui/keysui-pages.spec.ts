// The usage, playground, moderation and admin usage pages, and who may reach them.
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";

test.describe("applicant", () => {
  test.use({ storageState: storageStateFor("APPLICANT") });

  test("the usage page filters by key, and a key of someone else's is explained", async ({ page }) => {
    await page.goto("/applicant/usage");
    await expect(page.getByRole("heading", { name: "Usage", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Totals" })).toBeVisible();
    const key = page.getByLabel("Key", { exact: true });
    await key.selectOption({ label: (await key.locator("option", { hasText: "Demo development key" }).first().textContent()) ?? "" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/\/applicant\/usage\?.*key=/);
    await page.goto("/applicant/usage?key=not-a-key-of-mine");
    await expect(page.getByRole("alert").filter({ hasText: "That key does not exist or is not one of yours." })).toBeVisible();
  });

  test("the playground shows code with the API base URL and a clear error for a bad key", async ({ page, baseURL }) => {
    await page.goto("/applicant/playground");
    await expect(page.getByTestId("api-base-url")).toHaveText(`${baseURL}/v1`);
    await expect(page.getByRole("heading", { name: "Python (openai SDK)" })).toBeVisible();
    await expect(page.getByText('model="gatehouse-ngram"')).toBeVisible();

    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("playground-error")).toHaveText("Paste one of your API key secrets first (it starts with gk_dev_ or gk_live_).");

    await page.getByLabel("API key secret").fill(`gk_dev_${"x".repeat(43)}`);
    await page.getByRole("button", { name: "Send" }).click();
    // Without the gateway branch /v1 answers 404; with it, a 401 whose error.message is shown. Either way: an error, no answer.
    await expect(page.getByTestId("playground-error")).toBeVisible();
    await expect(page.getByTestId("playground-error")).not.toBeEmpty();
    await expect(page.getByTestId("playground-output")).toHaveText("The streamed answer appears here.");

    await page.reload();
    await expect(page.getByLabel("API key secret")).toHaveValue(`gk_dev_${"x".repeat(43)}`);
    await page.getByRole("button", { name: "Forget key" }).click();
    await expect(page.getByLabel("API key secret")).toHaveValue("");
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageStateFor("ADMIN") });

  test("the moderation page shows its empty state", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("link", { name: "Moderation queue" }).click();
    await expect(page.getByRole("heading", { name: "Moderation", level: 1 })).toBeVisible();
    await expect(page.getByText("Nothing is waiting for review")).toBeVisible();
    await page.getByRole("link", { name: "All flagged items" }).click();
    await expect(page.getByText("Nothing has been flagged yet.")).toBeVisible();
  });

  test("the usage page shows this month's totals per organisation", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("link", { name: "Usage this month" }).click();
    await expect(page.getByRole("heading", { name: "Usage", level: 1 })).toBeVisible();
    const month = new Date().toLocaleString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
    await expect(page.getByText(`per organisation in ${month}`)).toBeVisible();
  });

  test("the admin cannot open the applicant's key pages", async ({ page }) => {
    for (const path of ["/applicant/keys", "/applicant/usage", "/applicant/playground"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
  });
});

for (const [role, article] of [["APPLICANT", "an"], ["REVIEWER", "a"]] as const) {
  test.describe(`${role.toLowerCase()}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test(`${article} ${role.toLowerCase()} gets 403 on the admin key, moderation and usage pages`, async ({ page }) => {
      for (const path of ["/admin/keys", "/admin/moderation", "/admin/usage"]) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(403);
        await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
      }
    });
  });
}

test("an anonymous visitor is sent to sign in from the key pages", async ({ page }) => {
  await page.goto("/applicant/keys");
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/admin/keys");
  await expect(page).toHaveURL(/\/signin/);
});
