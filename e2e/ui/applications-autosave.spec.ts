// Autosave: an answer is kept when the user only types and pauses, and leaving the page with an unsaved answer asks
// first. (Before, an earlier save finishing said "Draft saved" while the newest answer was still on its way.)
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { expectSaved, fillEndUsers, GO_LIVE_DATE, fillProduct, next, startApplication, uniqueProductName } from "../applications-helpers";

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

test("an answer that cannot be saved is named, and the rest of the step is saved without it", async ({ page, context }) => {
  await startApplication(page);
  await fillProduct(page, { productName: uniqueProductName("Partial save") });
  await next(page, "Use case and open-endedness");
  await next(page, "Risk and misuse");
  await next(page, "End users and launch");
  await expectSaved(page);
  await fillEndUsers(page);
  const users = page.getByLabel("Expected number of end users");
  await page.getByLabel("Expected volume").fill("About 3,000 requests a month");
  await users.fill("-5");
  // Shown once the newest save, which holds both edits, has finished.
  await expect(page.getByText("Not saved: the highlighted answers need correcting; everything else is saved.")).toBeVisible();
  await expect(users).toHaveAttribute("aria-invalid", "true");
  await expect(users).toHaveAccessibleDescription(/Expect at least one end user\./);

  // The same draft in another tab: every answer of the step but the refused one is there.
  const other = await context.newPage();
  await other.goto(page.url());
  await other.getByRole("button", { name: /End users and launch/ }).click();
  await expect(other.getByLabel("Expected volume")).toHaveValue("About 3,000 requests a month");
  await expect(other.getByLabel("Go-live date")).toHaveValue(GO_LIVE_DATE);
  await expect(other.getByRole("group", { name: "May minors use it?" }).getByLabel("No")).toBeChecked();
  await expect(other.getByLabel("Expected number of end users")).toHaveValue("");

  // Corrected, it is saved too.
  await users.fill("40");
  await expectSaved(page);
  await other.reload();
  await other.getByRole("button", { name: /End users and launch/ }).click();
  await expect(other.getByLabel("Expected number of end users")).toHaveValue("40");
});

test("an answer refused after Next is named on the next step with a way back, and the review step opened directly lists what is missing", async ({ page }) => {
  await startApplication(page);
  await fillProduct(page, { productName: uniqueProductName("Refused then next") });
  await expectSaved(page);
  // Opened at ?step=review (a reload, a bookmark): the list of missing answers is there, not "every answer is filled in".
  await page.goto(`${page.url().split("?")[0] ?? ""}?step=review`);
  await expect(page.getByText("Still to answer before you can submit:")).toBeVisible();
  await expect(page.getByText(": Describe what could go wrong.")).toBeVisible();
  await expect(page.getByText("Every required answer is filled in.")).toHaveCount(0);

  await page.getByRole("button", { name: /^1\. Product/ }).click();
  await expect(page.getByRole("heading", { name: /: Product$/ })).toBeVisible();
  await page.getByLabel("Product description").fill("Too long. ".repeat(300));
  // Refused on this step (the pause after typing saves), then "Next" all the same.
  await expect(page.getByText("Not saved: the highlighted answers need correcting; everything else is saved.")).toBeVisible();
  await next(page, "Use case and open-endedness");
  const elsewhere = page.getByRole("list", { name: "Answers to correct on other steps" });
  await expect(elsewhere).toContainText("Product description");
  await expect(page.getByRole("button", { name: /^1\. .*\(needs correcting\)$/ })).toBeVisible();
  await elsewhere.getByRole("button", { name: "Product description" }).click();
  await expect(page.getByLabel("Product description")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Product description").fill("Drafts support replies.");
  await page.getByLabel("Product name").focus();
  await expectSaved(page);
  await expect(elsewhere).toHaveCount(0);
  await expect(page.getByRole("button", { name: /needs correcting/ })).toHaveCount(0);
});
