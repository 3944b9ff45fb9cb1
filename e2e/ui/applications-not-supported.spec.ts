// Journey: a not-supported category is explained when chosen, and submission is refused with that explanation.
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { fillAnswers, fillProduct, startApplication, uniqueProductName } from "../applications-helpers";

test.use({ storageState: storageStateFor("APPLICANT") });

test("choosing a not-supported category explains why before submission, and submit is refused with it", async ({ page }) => {
  test.setTimeout(120_000);
  await startApplication(page);
  await fillProduct(page, { productName: uniqueProductName("Campaign writer"), category: "Political persuasion (not supported)" });
  const explanation = page.getByRole("alert").filter({ hasText: "“Political persuasion” is not a supported use case." });
  await expect(explanation).toBeVisible();
  await expect(explanation).toContainText("Generating content to influence political views or elections.");

  await fillAnswers(page);
  await page.getByRole("button", { name: "Submit application" }).click();

  await expect(page.getByRole("heading", { name: /: Product$/ })).toBeVisible();
  await expect(page.getByText("“Political persuasion” is not a supported use case, so this application cannot be submitted.").first()).toBeVisible();
  await expect(page).toHaveURL(/\/edit/);

  await page.getByLabel("Use-case category").selectOption({ label: "Customer-support drafting (supported)" });
  await expect(explanation).toHaveCount(0);
});
