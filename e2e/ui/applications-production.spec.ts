// Journey: an approved access request links to its production review (seeded for Demo Labs), which shows the
// live product answers and links back. Requesting a new one is covered by Vitest (createProductionReview),
// since the demo request already has an open production review.
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";

test.use({ storageState: storageStateFor("APPLICANT") });

test("an approved access request links to its production review, which asks about the live product", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/applicant");
  await page.getByRole("row").filter({ hasText: "Approved" }).getByRole("link", { name: "Support reply drafts", exact: true }).click();
  await expect(page.getByText("Access request · Demo Labs")).toBeVisible();
  await expect(page.getByRole("button", { name: "Request production review" })).toHaveCount(0);
  await page.getByRole("link", { name: "Open the production review" }).click();

  await expect(page.getByRole("heading", { name: "Support reply drafts (production)" })).toBeVisible();
  await expect(page.getByText("Production review · Demo Labs")).toBeVisible();
  await expect(page.getByRole("region", { name: "Production" })).toContainText("The live product as built");
  await expect(page.getByText("Live in the help desk for all 25 agents")).toBeVisible();
  await page.getByRole("link", { name: /Access request: Support reply drafts/ }).click();
  await expect(page.getByRole("link", { name: "Open the production review" })).toBeVisible();
});
