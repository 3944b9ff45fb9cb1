// Journey: an applicant appeals a rejection; the admin who rejected may not decide the appeal, a second admin grants
// it (reopening the application for review), and both timelines show the appeal.
import { expect, test } from "@playwright/test";
import { anonymousContext, demoAccount, freshAccount as freshLoginAccount, signUp as signUpAccount } from "../accounts";
import { seriousViolations } from "../accessibility";
import { claimAndReview, submitApplication, uniqueProductName } from "../applications-helpers";
import { pageAs } from "../fixtures";
import { createOrganization, freshAccount, signUp } from "./orgs-support";

test("an applicant appeals a rejection and a second admin, not the one who rejected, grants it", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const productName = uniqueProductName("Appeal drafts");
  const organizationName = `Appeal Labs ${productName.slice(-6)}`;

  // A fresh applicant submits an application.
  const applicantContext = await anonymousContext(browser, baseURL);
  const applicant = await applicantContext.newPage();
  await signUp(applicant, freshAccount("Appellant"));
  await createOrganization(applicant, organizationName);
  const applicationPath = await submitApplication(applicant, { productName, organization: organizationName });
  const reviewPath = applicationPath.replace("/applicant/applications/", "/review/applications/");

  // The demo reviewer reviews it.
  const reviewer = await pageAs(browser, "REVIEWER");
  await reviewer.goto(reviewPath);
  await claimAndReview(reviewer, "Reject");
  await reviewer.context().close();

  // The demo admin rejects it.
  const decider = await pageAs(browser, "ADMIN");
  await decider.goto(reviewPath);
  const decision = decider.getByRole("form", { name: "Decision" });
  await decision.getByRole("radio", { name: "Rejected" }).check();
  await decision.getByLabel("Reason, citing the category or the policy (required)").fill("Reads as an open-ended chatbot, which the policy does not support.");
  await decision.getByRole("button", { name: "Record decision" }).click();
  await decider.getByRole("button", { name: "Confirm: rejected" }).click();
  await expect(decider.getByRole("form", { name: "Decision" })).toHaveCount(0);

  // The applicant appeals: grounds and a statement are required.
  await applicant.goto(applicationPath);
  const appealForm = applicant.getByRole("form", { name: "Appeal this decision" });
  await expect(appealForm).toBeVisible();
  expect(await seriousViolations(applicant)).toEqual([]);
  await appealForm.getByRole("button", { name: "Send appeal" }).click();
  await expect(appealForm.getByText("Choose at least one ground for the appeal.")).toBeVisible();
  await appealForm.getByLabel("Reviewers missed part of the application").check();
  await appealForm.getByLabel("The use-case policy was misapplied").check();
  await appealForm.getByLabel("Your statement").fill("Agents approve every draft before it is sent; the product never chats with end users directly.");
  await appealForm.getByRole("button", { name: "Send appeal" }).click();
  // The form gives way to the appeal's state.
  await expect(applicant.getByTestId("appeal")).toContainText("Open");
  await expect(applicant.getByTestId("appeal")).toContainText("Reviewers missed part of the application; The use-case policy was misapplied");
  await expect(applicant.getByRole("form", { name: "Appeal this decision" })).toHaveCount(0);

  // The deciding admin sees the appeal counted and listed, but may not decide it.
  await decider.goto("/admin");
  await expect(decider.getByTestId("open-appeals")).toHaveText(/Open appeals: [1-9]\d*/);
  await decider.getByTestId("open-appeals").click();
  await expect(decider).toHaveURL(/\/admin\/appeals$/);
  const row = decider.getByTestId("appeal-row").filter({ hasText: productName });
  await expect(row).toContainText("Rejected");
  expect(await seriousViolations(decider)).toEqual([]);
  await row.getByRole("link", { name: productName }).click();
  await expect(decider.getByText("You made the decision under appeal, so another administrator must decide this appeal.")).toBeVisible();
  await expect(decider.getByRole("form", { name: "Decide the appeal" })).toHaveCount(0);
  const appealPath = new URL(decider.url()).pathname;

  // A second admin: a fresh account the demo admin promotes.
  const secondContext = await anonymousContext(browser, baseURL);
  const second = await secondContext.newPage();
  const secondAccount = freshLoginAccount("appeal-admin");
  await signUpAccount(second, secondAccount);
  await decider.goto(`/admin/users?q=${encodeURIComponent(secondAccount.email)}`);
  const userRow = decider.getByTestId(`user-row-${secondAccount.email}`);
  await userRow.getByLabel(`Role of ${secondAccount.email}`, { exact: true }).selectOption({ label: "admin" });
  await userRow.getByRole("button", { name: `Save role of ${secondAccount.email}`, exact: true }).click();
  await expect(userRow.getByRole("status")).toHaveText(`${secondAccount.email} is now admin.`);

  // The second admin reads the decision, grounds and statement, and grants the appeal after confirming.
  await second.goto(appealPath);
  await expect(second.getByTestId("appealed-decision")).toContainText("Reads as an open-ended chatbot");
  await expect(second.getByTestId("appealed-decision")).toContainText(demoAccount("ADMIN").email);
  await expect(second.getByTestId("appeal-detail")).toContainText("Reviewers missed part of the application");
  await expect(second.getByTestId("appeal-detail")).toContainText("Agents approve every draft");
  expect(await seriousViolations(second)).toEqual([]);
  const resolve = second.getByRole("form", { name: "Decide the appeal" });
  // Upholding needs reasons.
  await resolve.getByRole("button", { name: "Record outcome" }).click();
  await second.getByRole("button", { name: "Confirm: uphold" }).click();
  await expect(resolve.getByText("Give the reasons the decision stands.")).toBeVisible();
  await resolve.getByRole("radio", { name: "Grant: reopen the application for review" }).check();
  await resolve.getByLabel("Reasons (optional, shown to the applicant)").fill("The human review of every draft was missed.");
  await resolve.getByRole("button", { name: "Record outcome" }).click();
  const dialog = second.getByRole("dialog", { name: "Grant: reopen the application for review?" });
  await expect(dialog).toContainText("goes back to review");
  await dialog.getByRole("button", { name: "Confirm: grant" }).click();
  // The form gives way to the outcome.
  await expect(second.getByText(/Granted: reopened for review, by/)).toBeVisible();
  await expect(second.getByRole("form", { name: "Decide the appeal" })).toHaveCount(0);

  // Both timelines show the appeal; the application is back in review.
  await second.goto(reviewPath);
  for (const type of ["appealed", "appeal_granted", "reopened"]) await expect(second.getByTestId(`event-${type}`)).toBeVisible();
  await expect(second.getByTestId("event-appeal_granted")).toContainText("Appeal granted");
  await applicant.goto(applicationPath);
  const timeline = applicant.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByTestId("event-appealed")).toContainText("Decision appealed");
  await expect(timeline.getByTestId("event-appeal_granted")).toContainText("Appeal granted");
  await expect(timeline.getByTestId("event-reopened")).toContainText("Reopened for review");
  await expect(applicant.getByTestId("appeal")).toContainText("Granted: the application is back with the reviewers.");
  await applicant.goto("/notifications");
  await expect(applicant.getByText(`Appeal on “${productName}”: granted`).first()).toBeVisible();

  await Promise.all([applicantContext.close(), decider.context().close(), secondContext.close()]);
});
