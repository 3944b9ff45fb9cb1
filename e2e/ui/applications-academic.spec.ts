// Journey: the academic track asks for the institution, research question, focus area and ethics approval.
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { fillProduct, fillQuestionSteps, next, startApplication, uniqueProductName } from "../applications-helpers";

test.use({ storageState: storageStateFor("APPLICANT") });

test("an academic application on fairness research is submitted with top queue priority", async ({ page }) => {
  test.setTimeout(120_000);
  const productName = uniqueProductName("Occupational bias study");
  await startApplication(page, "Academic research access");
  await fillProduct(page, { productName, category: "Classification and extraction (supported)" });
  await next(page, "Use case and open-endedness");
  await fillQuestionSteps(page);
  await next(page, "Academic research");
  await page.getByLabel("Institution").fill("University of Somewhere");
  await page.getByLabel("Research question").fill("How do completions represent occupations across genders?");
  await page.getByRole("radio", { name: "Fairness and representation" }).check();
  await page.getByRole("group", { name: "Ethics approval" }).getByLabel("Approved").check();
  await next(page, "Review and submit");
  await expect(page.getByText("Every required answer is filled in.")).toBeVisible();
  await page.getByRole("button", { name: "Submit application" }).click();

  await expect(page).toHaveURL(/\/applicant\/applications\/[^/]+$/);
  await expect(page.getByText("Academic access request · Demo Labs")).toBeVisible();
  await expect(page.getByText("Academic track · queue priority 10.")).toBeVisible();
  await expect(page.getByText("Fairness and representation")).toBeVisible();
  await expect(page.getByText("University of Somewhere")).toBeVisible();
});
