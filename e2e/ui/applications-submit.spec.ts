// Journey: fill an access request in steps, reload halfway (nothing lost), submit, and see it on the status page.
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { expectSaved, fillProduct, fillQuestionSteps, GO_LIVE_DATE, next, startApplication, uniqueProductName } from "../applications-helpers";

test.use({ storageState: storageStateFor("APPLICANT") });

test("an applicant fills an application in steps, resumes the draft after a reload, and submits it", async ({ page }) => {
  test.setTimeout(120_000);
  const productName = uniqueProductName("Reply drafts");
  await startApplication(page);
  await fillProduct(page, { productName });
  await next(page, "Use case and open-endedness");
  await expectSaved(page);
  await page.getByLabel(/1\. Supported use case/).fill("Half-written answer");
  await page.getByLabel("Expected prompt length").focus();
  await expectSaved(page);

  await page.reload();
  await expect(page.getByRole("heading", { name: /: Use case and open-endedness$/ })).toBeVisible();
  await expect(page.getByLabel(/1\. Supported use case/)).toHaveValue("Half-written answer");
  await page.getByRole("button", { name: "Back" }).click();
  await expect(page.getByLabel("Product name")).toHaveValue(productName);
  await expect(page.getByLabel("Use-case category")).toHaveValue(/.+/);

  // The review step lists what is still missing, with the field's own message.
  await page.getByRole("button", { name: /Review and submit/ }).click();
  await expect(page.getByText("Still to answer before you can submit:")).toBeVisible();
  await expect(page.getByText(": Describe what could go wrong.")).toBeVisible();
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByText("Some answers are missing or invalid: see the highlighted fields.")).toBeVisible();

  await page.getByRole("button", { name: /Use case and open-endedness/ }).click();
  await fillQuestionSteps(page);
  // A go-live date that has passed is named on the review step; submitting waits until it is changed.
  await page.getByLabel("Go-live date").fill("2020-01-15");
  await next(page, "Review and submit");
  await expect(page.getByText(": The go-live date has passed: enter today or a later date.")).toBeVisible();
  await page.getByRole("button", { name: /End users and launch/ }).click();
  await page.getByLabel("Go-live date").fill(GO_LIVE_DATE);
  await next(page, "Review and submit");
  await expect(page.getByText("Every required answer is filled in.")).toBeVisible();
  await page.getByRole("button", { name: "Submit application" }).click();

  await expect(page).toHaveURL(/\/applicant\/applications\/[^/]+$/);
  await expect(page.getByRole("heading", { name: productName })).toBeVisible();
  await expect(page.getByText("Submitted", { exact: true }).first()).toBeVisible();
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByTestId("event-drafted")).toContainText("Alex Applicant");
  await expect(timeline.getByTestId("event-submitted")).toContainText("Alex Applicant");
  await expect(page.getByText("Human in the loop, Content filtering")).toBeVisible();
  await expect(page.getByRole("link", { name: "Continue editing" })).toHaveCount(0);

  // A message refused for its length keeps what was typed; one that is sent clears the box for the next.
  const tooLong = `${"Our safeguards, in detail. ".repeat(400)}`;
  await page.getByLabel("Message to the reviewers").fill(tooLong);
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByText("Keep messages under 10,000 characters.")).toBeVisible();
  await expect(page.getByLabel("Message to the reviewers")).toHaveValue(tooLong);
  await page.getByLabel("Message to the reviewers").fill("Happy to answer any questions.");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByRole("list", { name: "Messages" })).toContainText("Happy to answer any questions.");
  await expect(page.getByLabel("Message to the reviewers")).toHaveValue("");

  await page.goto("/applicant");
  const row = page.getByRole("row", { name: new RegExp(productName) });
  await expect(row).toContainText("Submitted");
  await row.getByRole("link", { name: productName }).click();
  await page.getByRole("link", { name: "Version history (1)" }).click();
  await expect(page.getByRole("heading", { name: "Version 1" })).toBeVisible();
  await expect(page.getByText("The first submission.")).toBeVisible();
});
