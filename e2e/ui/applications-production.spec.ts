// Journey: from the approved demo access request, request a production review pre-filled with its answers.
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { next } from "../applications-helpers";

test.use({ storageState: storageStateFor("APPLICANT") });

test("an approved access request leads to a pre-filled production review that asks about the live product", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/applicant");
  await page.getByRole("row").filter({ hasText: "Approved" }).getByRole("link", { name: "Support reply drafts" }).click();
  await expect(page.getByText("Access request · Demo Labs")).toBeVisible();
  await page.getByRole("button", { name: "Request production review" }).click();

  await expect(page).toHaveURL(/\/edit$/);
  await expect(page.getByText("Production review · Demo Labs", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Product name")).toHaveValue("Support reply drafts");
  await next(page, "Use case and open-endedness");
  await expect(page.getByLabel(/1\. Supported use case/)).toHaveValue(/Drafts replies to customer-support tickets/);
  await next(page, "Risk and misuse");
  await next(page, "End users and launch");
  await next(page, "Live product");
  await page.getByLabel("Describe the live product as built").fill("Live in our help desk for 25 agents since March.");
  await page.getByLabel("Describe its safeguards as built").fill("Agents approve every reply; replies are capped at 200 words.");
  await next(page, "Review and submit");
  await expect(page.getByText("Every required answer is filled in.")).toBeVisible();
  await page.getByRole("button", { name: "Submit application" }).click();

  await expect(page).toHaveURL(/\/applicant\/applications\/[^/]+$/);
  await expect(page.getByText("Production review · Demo Labs")).toBeVisible();
  await expect(page.getByText("Live in our help desk for 25 agents since March.")).toBeVisible();
  await page.getByRole("link", { name: /Access request: Support reply drafts/ }).click();
  await expect(page.getByRole("link", { name: "Open the production review" })).toBeVisible();
});
