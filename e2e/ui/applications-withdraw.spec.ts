// Journey: withdraw a submitted application after confirming; it cannot be edited or resubmitted afterwards.
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { fillAnswers, fillProduct, startApplication, uniqueProductName } from "../applications-helpers";

test.use({ storageState: storageStateFor("APPLICANT") });

test("an applicant withdraws a submitted application after confirming, and it can no longer be edited", async ({ page }) => {
  test.setTimeout(120_000);
  const productName = uniqueProductName("Withdrawn idea");
  await startApplication(page);
  await fillProduct(page, { productName });
  await fillAnswers(page);
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/applicant\/applications\/[^/]+$/);
  const statusUrl = page.url().replace(/\?.*$/, "");

  await page.getByRole("button", { name: "Withdraw", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Withdraw “${productName}”?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("event-withdrawn")).toHaveCount(0);

  await page.getByRole("button", { name: "Withdraw", exact: true }).click();
  await dialog.getByRole("button", { name: "Withdraw application" }).click();
  await expect(page.getByText("You withdrew this application. It cannot be resubmitted")).toBeVisible();
  await expect(page.getByTestId("event-withdrawn")).toContainText("Alex Applicant");
  await expect(page.getByRole("button", { name: "Withdraw", exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /Continue editing|Revise and resubmit/ })).toHaveCount(0);

  await page.goto(`${statusUrl}/edit`);
  await expect(page).toHaveURL(statusUrl);
});
