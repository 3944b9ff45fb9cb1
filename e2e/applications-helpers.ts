// Steps shared by the application journeys: each test starts its own application (as the demo applicant or a fresh
// account) and may take it through review.
import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { calendarDateIn } from "../lib/validation";

export function uniqueProductName(prefix: string): string {
  return `${prefix} ${randomBytes(3).toString("hex")}`;
}

export async function startApplication(page: Page, track: "Standard access request" | "Academic research access" = "Standard access request", organization = "Demo Labs") {
  await page.goto("/applicant/applications/new");
  await page.getByLabel("Organisation").selectOption({ label: organization });
  await page.getByRole("radio", { name: track }).check();
  await page.getByRole("button", { name: "Start application" }).click();
  await expect(page).toHaveURL(/\/applicant\/applications\/[^/]+\/edit/);
}

export async function expectSaved(page: Page) {
  await expect(page.locator("[data-save-state]")).toHaveAttribute("data-save-state", "saved");
}

export async function fillProduct(page: Page, { productName, category = "Customer-support drafting (supported)" }: { productName: string; category?: string }) {
  await page.getByLabel("Product name").fill(productName);
  await page.getByLabel("Product description").fill("Suggests replies to support tickets; agents edit every reply.");
  await page.getByLabel("Use-case category").selectOption({ label: category });
}

export async function fillUseCase(page: Page) {
  await page.getByLabel(/1\. Supported use case/).fill("Drafts replies to tickets about our own product, which fits support drafting.");
  await page.getByRole("radio", { name: "Constrained (short outputs on one topic)" }).check();
  await page.getByLabel("Expected prompt length").fill("About 500 tokens");
  await page.getByLabel("Expected output length").fill("Under 200 words");
  await page.getByRole("group", { name: "Can end users write arbitrary prompts?" }).getByLabel("No").check();
}

export async function fillRisk(page: Page) {
  await page.getByRole("checkbox", { name: "Finance" }).check();
  await page.getByLabel("What could go wrong?").fill("A wrong refund promise could mislead a customer.");
  await page.getByLabel("Who could be harmed?").fill("Customers who receive a reply.");
  await page.getByRole("checkbox", { name: "Human in the loop" }).check();
  await page.getByRole("checkbox", { name: "Content filtering" }).check();
  await page.getByLabel("How do these safeguards work in your product?").fill("Agents approve each reply; outputs are filtered.");
}

/** A go-live date 90 days ahead (a submitted application's date may not have passed). */
export const GO_LIVE_DATE = calendarDateIn(90);

export async function fillEndUsers(page: Page) {
  await page.getByRole("group", { name: "5. End users: who uses the product?" }).getByLabel("Internal staff").check();
  await page.getByRole("group", { name: "Are end users authenticated?" }).getByLabel("Yes").check();
  await page.getByLabel("Expected number of end users").fill("25");
  await page.getByRole("group", { name: "May minors use it?" }).getByLabel("No").check();
  await page.getByLabel("Expected volume").fill("About 2,000 requests a month");
  await page.getByLabel("Go-live date").fill(GO_LIVE_DATE);
}

export async function next(page: Page, stepTitle: string) {
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`: ${stepTitle}$`) })).toBeVisible();
}

/** Answers the use-case, risk and end-user steps, starting on the use-case step; stays on the end-user step, since the
 * step after it depends on the track (academic research, or review and submit). */
export async function fillQuestionSteps(page: Page) {
  await fillUseCase(page);
  await next(page, "Risk and misuse");
  await fillRisk(page);
  await next(page, "End users and launch");
  await fillEndUsers(page);
}

/** From the product step to "Review and submit", answering every standard question. */
export async function fillAnswers(page: Page) {
  await next(page, "Use case and open-endedness");
  await fillQuestionSteps(page);
  await next(page, "Review and submit");
}

/** Starts, fills and submits a standard access request as the page's signed-in user (in the category given, else
 * fillProduct's), waits for the confirmation and returns the application's path (/applicant/applications/<id>). */
export async function submitApplication(page: Page, { productName, organization, category }: { productName: string; organization?: string; category?: string }): Promise<string> {
  await startApplication(page, "Standard access request", organization);
  await fillProduct(page, { productName, category });
  await fillAnswers(page);
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByRole("heading", { name: "Submitted: version 1 is with the reviewers." })).toBeVisible();
  return new URL(page.url()).pathname;
}

const reviewQuestions = { supportedUseCase: "Supported use case", openEndedness: "Open-endedness", risk: "Risk", misusePlan: "Misuse plan", endUsers: "End users" };

/** On an application's review page: claims it, scores every question 3 with high confidence, recommends and submits
 * the review, and waits for it to be accepted. */
export async function claimAndReview(reviewer: Page, recommendation: "Approve" | "Reject") {
  await reviewer.getByRole("button", { name: "Claim for review" }).click();
  await expect(reviewer.getByText("You have claimed this application.")).toBeVisible();
  for (const [key, title] of Object.entries(reviewQuestions)) {
    await reviewer.getByLabel(`${title}: 3`, { exact: true }).check();
    await reviewer.locator(`#${key}-confidence`).selectOption("HIGH");
  }
  await reviewer.getByRole("radio", { name: recommendation, exact: true }).check();
  await reviewer.getByRole("button", { name: "Submit review", exact: true }).click();
  await expect(reviewer.getByText("Review submitted.")).toBeVisible();
}
