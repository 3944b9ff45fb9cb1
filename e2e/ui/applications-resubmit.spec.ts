// Journey: reviewers request changes, the applicant revises and resubmits, and both sides see what changed.
import { expect, test, type Page } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { fillAnswers, fillProduct, startApplication, uniqueProductName } from "../applications-helpers";

async function scoreRequestingChanges(page: Page) {
  const titles = { supportedUseCase: "Supported use case", openEndedness: "Open-endedness", risk: "Risk", misusePlan: "Misuse plan", endUsers: "End users" };
  for (const [key, title] of Object.entries(titles)) {
    await page.getByLabel(`${title}: 3`, { exact: true }).check();
    await page.locator(`#${key}-confidence`).selectOption("HIGH");
    await page.locator(`#${key}-note`).fill(`The ${title.toLowerCase()} answer needs more detail.`);
  }
  await page.getByRole("radio", { name: "Request changes", exact: true }).check();
  await page.getByRole("button", { name: "Submit review", exact: true }).click();
  await expect(page.getByText("Review submitted.")).toBeVisible();
}

test("after requested changes the applicant revises and resubmits, and the versions show what changed", async ({ browser }) => {
  test.setTimeout(180_000);
  const applicantContext = await browser.newContext({ storageState: storageStateFor("APPLICANT") });
  const applicant = await applicantContext.newPage();
  const productName = uniqueProductName("Revised drafts");
  await startApplication(applicant);
  await fillProduct(applicant, { productName });
  await fillAnswers(applicant);
  await applicant.getByRole("button", { name: "Submit application" }).click();
  await expect(applicant).toHaveURL(/\/applicant\/applications\/[^/]+$/);
  const statusUrl = applicant.url().replace(/\?.*$/, "");
  const reviewPath = new URL(statusUrl).pathname.replace("/applicant/", "/review/");

  const reviewerContext = await browser.newContext({ storageState: storageStateFor("REVIEWER") });
  const reviewer = await reviewerContext.newPage();
  await reviewer.goto(reviewPath);
  await reviewer.getByRole("button", { name: "Claim for review" }).click();
  await expect(reviewer.getByText("You have claimed this application.")).toBeVisible();
  await scoreRequestingChanges(reviewer);

  const adminContext = await browser.newContext({ storageState: storageStateFor("ADMIN") });
  const admin = await adminContext.newPage();
  // An access request needs one review by default, so the admin decides on the reviewer's recommendation.
  await admin.goto(reviewPath);
  const decision = admin.getByRole("form", { name: "Decision" });
  await decision.getByRole("radio", { name: "Changes requested", exact: true }).check();
  await decision.locator("#decision-message").fill("Please say what happens when a reply promises a refund.");
  await decision.getByRole("button", { name: "Record decision" }).click();
  await admin.getByRole("button", { name: "Confirm: changes requested" }).click();
  await expect(admin.getByRole("heading", { name: "Decisions" })).toBeVisible();

  await applicant.goto(statusUrl);
  await expect(applicant.getByText("Reviewers requested changes.")).toBeVisible();
  await expect(applicant.getByTestId("event-changes_requested")).toBeVisible();
  await applicant.getByRole("link", { name: "Revise and resubmit" }).click();
  await applicant.getByRole("button", { name: /Risk and misuse/ }).click();
  await applicant.getByLabel("What could go wrong?").fill("A reply could promise a refund; agents must confirm refunds in the billing tool first.");
  await applicant.getByRole("button", { name: /Review and submit/ }).click();
  await applicant.getByRole("button", { name: "Resubmit application" }).click();

  await expect(applicant).toHaveURL(`${statusUrl}?submitted=1`);
  await expect(applicant.getByTestId("event-resubmitted")).toContainText("Alex Applicant");
  await applicant.getByRole("link", { name: "Version history (2)" }).click();
  await expect(applicant.getByRole("heading", { name: "Version 2" })).toBeVisible();
  const change = applicant.getByTestId("diff-answers.risk.harms");
  await expect(change).toContainText("3. Risk: what could go wrong");
  await expect(change).toContainText("A wrong refund promise could mislead a customer.");
  await expect(change).toContainText("agents must confirm refunds in the billing tool first");

  await reviewer.goto(reviewPath);
  await expect(reviewer.getByRole("heading", { name: "What changed since version 1" })).toBeVisible();
  await expect(reviewer.getByTestId("diff-answers.risk.harms")).toContainText("agents must confirm refunds");
  await Promise.all([applicantContext.close(), reviewerContext.close(), adminContext.close()]);
});
