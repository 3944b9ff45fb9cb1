// Two reviewers score the demo production review, they disagree, an admin approves with scopes, the applicant sees it.
import { expect, test, type Page } from "@playwright/test";
import { storageStateFor } from "../fixtures";

const productName = "Support reply drafts (production)";

async function fillScorecard(page: Page, scores: Record<string, number>, recommendation: string) {
  const titles: Record<string, string> = {
    supportedUseCase: "Supported use case",
    openEndedness: "Open-endedness",
    risk: "Risk",
    misusePlan: "Misuse plan",
    endUsers: "End users",
  };
  for (const [key, score] of Object.entries(scores)) {
    await page.getByLabel(`${titles[key]}: ${score}`, { exact: true }).check();
    await page.locator(`#${key}-confidence`).selectOption("HIGH");
    await page.locator(`#${key}-note`).fill(`Scored ${score}: the answer is specific about ${titles[key]?.toLowerCase()}.`);
  }
  await page.getByRole("radio", { name: recommendation, exact: true }).check();
}

test("two reviewers disagree, an admin approves with scopes, and the applicant sees the decision", async ({ browser }) => {
  test.setTimeout(120_000);
  const reviewerContext = await browser.newContext({ storageState: storageStateFor("REVIEWER") });
  const reviewer = await reviewerContext.newPage();
  await reviewer.goto("/review");
  await reviewer.getByRole("link", { name: productName }).click();
  await expect(reviewer.getByRole("heading", { name: productName })).toBeVisible();
  await expect(reviewer.getByText("0 of 2 required submitted")).toBeVisible();
  await reviewer.getByRole("button", { name: "Claim for review" }).click();
  await expect(reviewer.getByText("You have claimed this application.")).toBeVisible();

  // An extreme score without a note is refused with a message next to the note.
  await fillScorecard(reviewer, { supportedUseCase: 4, openEndedness: 4, risk: 2, misusePlan: 4, endUsers: 5 }, "Approve");
  await reviewer.locator("#endUsers-note").fill("");
  await reviewer.getByRole("button", { name: "Submit review", exact: true }).click();
  await expect(reviewer.getByText("Explain an extreme score (1 or 5) in a note.")).toBeVisible();
  await reviewer.locator("#endUsers-note").fill("Only the company's own authenticated agents use it.");
  await reviewer.getByText("Suggested key limits for an approval (optional)").click();
  await reviewer.getByLabel("Requests per minute", { exact: true }).fill("30");
  await reviewer.getByRole("button", { name: "Submit review", exact: true }).click();
  await expect(reviewer.getByText("Review submitted.")).toBeVisible();
  await expect(reviewer.getByRole("heading", { name: "Scores of all reviewers" })).toBeVisible();
  const applicationUrl = reviewer.url();

  // The demo admin reviews too: before submitting, the first review is hidden.
  const adminContext = await browser.newContext({ storageState: storageStateFor("ADMIN") });
  const admin = await adminContext.newPage();
  await admin.goto(applicationUrl);
  await admin.getByRole("button", { name: "Claim for review" }).click();
  await expect(admin.getByText("You have claimed this application.")).toBeVisible();
  await expect(admin.getByText("Reviews are independent: you see the other reviewers' scores after you submit your own.")).toBeVisible();
  await fillScorecard(admin, { supportedUseCase: 4, openEndedness: 2, risk: 3, misusePlan: 4, endUsers: 4 }, "Approve with conditions");
  await admin.getByRole("button", { name: "Submit review", exact: true }).click();
  await expect(admin.getByText("Review submitted.")).toBeVisible();
  await expect(admin.getByTestId("summary-openEndedness")).toContainText("Disagreement");
  await expect(admin.getByTestId("summary-openEndedness")).toContainText("2");
  await expect(admin.getByTestId("summary-risk")).not.toContainText("Disagreement");

  // The admin approves, granting less than the reviewers suggested.
  const decision = admin.getByRole("form", { name: "Decision" });
  await expect(decision.getByLabel("Requests per minute", { exact: true })).toHaveValue("30");
  await decision.getByLabel("Requests per minute", { exact: true }).fill("20");
  await decision.getByLabel("Message to the applicant (optional)").fill("Approved for production with the limits below.");
  await decision.getByRole("button", { name: "Record decision" }).click();
  await admin.getByRole("button", { name: "Confirm: approved" }).click();
  // The decision replaces the form: the application is no longer awaiting one.
  await expect(admin.getByRole("heading", { name: "Decisions" })).toBeVisible();
  await expect(admin.getByText("Approved for production with the limits below.")).toBeVisible();
  await expect(admin.getByText("Approved", { exact: true }).first()).toBeVisible();
  await expect(admin.getByRole("form", { name: "Decision" })).toHaveCount(0);

  const applicantContext = await browser.newContext({ storageState: storageStateFor("APPLICANT") });
  const applicant = await applicantContext.newPage();
  await applicant.goto("/applicant");
  const card = applicant.getByTestId("applicant-decision").filter({ hasText: productName });
  await expect(card).toContainText("Approved");
  await expect(card).toContainText("Approved for production with the limits below.");
  await Promise.all([reviewerContext.close(), adminContext.close(), applicantContext.close()]);
});
