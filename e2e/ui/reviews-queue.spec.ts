// The review queue (order, filters, search), conflicts of interest, the review settings page, and who is refused.
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";

test.describe("as the demo reviewer", () => {
  test.use({ storageState: storageStateFor("REVIEWER") });

  test("the queue puts academic fairness research first, shows each item's age, and filters and searches", async ({ page }) => {
    await page.goto("/review");
    const rows = page.getByTestId("queue-row");
    await expect(rows.first()).toContainText("Dialect fairness audit of text classifiers");
    await expect(rows.first()).toContainText("Prioritised");
    await expect(page.getByTestId("queue-row").filter({ hasText: "Patient FAQ assistant" })).toContainText("6 days");

    await page.getByLabel("Track").selectOption("ACADEMIC");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/track=ACADEMIC/);
    await expect(rows).toHaveCount(1);

    await page.goto("/review");
    await page.getByLabel("Search").fill("kestrel");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Product description drafts");

    await page.goto("/review?q=no-such-product-anywhere");
    await expect(page.getByText("No application matches these filters.")).toBeVisible();
  });

  test("declaring a conflict of interest removes the item from the reviewer's queue", async ({ page }) => {
    await page.goto("/review");
    await page.getByRole("link", { name: "Patient FAQ assistant" }).click();
    await page.getByText("Declare a conflict of interest").click();
    await page.getByRole("button", { name: "Declare conflict" }).click();
    await expect(page.getByText("Say why you have a conflict of interest.")).toBeVisible();
    const url = page.url();
    await page.getByLabel("Reason").fill("I consulted for Northwind Health last year.");
    await page.getByRole("button", { name: "Declare conflict" }).click();
    await expect(page.getByText("Conflict of interest declared: the application has left your queue.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Patient FAQ assistant" })).toHaveCount(0);
    const response = await page.goto(url);
    expect(response?.status()).toBe(403);
  });

  test("a reviewer writes an internal note on an application's thread", async ({ page }) => {
    await page.goto("/review");
    await page.getByRole("link", { name: "Dialect fairness audit of text classifiers" }).click();
    await expect(page.getByText("No messages yet.")).toBeVisible();
    await page.getByRole("button", { name: "Post" }).click();
    await expect(page.getByText("Write a message.")).toBeVisible();
    await page.getByLabel("Message", { exact: true }).fill("Check the ethics approval number with the university.");
    await page.getByLabel(/Internal note/).check();
    await page.getByRole("button", { name: "Post" }).click();
    const note = page.getByRole("listitem").filter({ hasText: "Check the ethics approval number with the university." });
    await expect(note).toContainText("internal note");
  });

  test("a reviewer is refused the admin settings page", async ({ page }) => {
    const response = await page.goto("/admin/settings");
    expect(response?.status()).toBe(403);
  });
});

test.describe("as the demo applicant", () => {
  test.use({ storageState: storageStateFor("APPLICANT") });

  test("an applicant gets 403 on the review queue and on an application's review page", async ({ page }) => {
    const response = await page.goto("/review");
    expect(response?.status()).toBe(403);
    const detail = await page.goto("/review/applications/any-id");
    expect(detail?.status()).toBe(403);
  });
});

test.describe("as the demo admin", () => {
  test.use({ storageState: storageStateFor("ADMIN") });

  test("review settings are validated and saved", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("link", { name: "Review settings" }).click();
    await expect(page.getByRole("heading", { name: "Review settings" })).toBeVisible();
    const access = page.getByLabel("Reviews required for an access request");
    await expect(access).toHaveValue("1");
    await expect(page.getByLabel("Reviews required for a production review")).toHaveValue("2");
    await access.fill("0");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("At least 1 review is required.")).toBeVisible();
    await access.fill("1");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Review settings saved.")).toBeVisible();
  });
});
