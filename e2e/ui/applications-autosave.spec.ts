// Autosave: an answer is kept when the user only types and pauses, and leaving the page with an unsaved answer asks
// first. (Before, an earlier save finishing said "Draft saved" while the newest answer was still on its way.)
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { expectSaved, fillProduct, next, startApplication, uniqueProductName } from "../applications-helpers";

test.use({ storageState: storageStateFor("APPLICANT") });

test("typing alone saves the draft once it pauses, and a reload keeps every answer", async ({ page }) => {
  await startApplication(page);
  await fillProduct(page, { productName: uniqueProductName("Autosave") });
  await next(page, "Use case and open-endedness");
  await expectSaved(page);

  const answer = page.getByLabel(/1\. Supported use case/);
  await answer.fill("First words");
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await answer.fill("First words, then more");
  await expectSaved(page);
  await expect(answer).toBeFocused();

  await page.reload();
  await expect(page.getByLabel(/1\. Supported use case/)).toHaveValue("First words, then more");
});

test("leaving with an unsaved answer asks first, and staying saves it", async ({ page }) => {
  await startApplication(page);
  await fillProduct(page, { productName: uniqueProductName("Leave") });
  await next(page, "Use case and open-endedness");
  await expectSaved(page);

  await page.getByLabel(/1\. Supported use case/).fill("Typed just before leaving");
  const asked = new Promise<string>((resolve) => {
    page.once("dialog", (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    });
  });
  // Dismissing the prompt cancels the navigation.
  await expect(page.goto("/applicant")).rejects.toThrow(/cancelled by beforeunload|ERR_ABORTED/);
  expect(await asked).toBe("beforeunload");
  await expectSaved(page);

  await page.reload();
  await expect(page.getByLabel(/1\. Supported use case/)).toHaveValue("Typed just before leaving");
});
