// An access request is submitted, reviewed and decided; the admin reads agreement, deviation and time to decision on
// the calibration page, filters its period, and a reviewer is refused the page.
import { expect, test } from "@playwright/test";
import { seriousViolations } from "../accessibility";
import { claimAndReview, submitApplication, uniqueProductName } from "../applications-helpers";
import { pageAs } from "../fixtures";

test("an admin sees the calibration sections and an access request's time to decision; a reviewer is refused", async ({ browser }) => {
  test.setTimeout(150_000);
  const productName = uniqueProductName("Calibration drafts");
  const applicant = await pageAs(browser, "APPLICANT");
  const reviewPath = (await submitApplication(applicant, { productName })).replace("/applicant/applications/", "/review/applications/");
  await applicant.context().close();

  const reviewer = await pageAs(browser, "REVIEWER");
  await reviewer.goto(reviewPath);
  await claimAndReview(reviewer, "Approve");

  const admin = await pageAs(browser, "ADMIN");
  await admin.goto(reviewPath);
  const decision = admin.getByRole("form", { name: "Decision" });
  await decision.getByRole("button", { name: "Record decision" }).click();
  await admin.getByRole("button", { name: "Confirm: approved" }).click();
  await expect(admin.getByRole("heading", { name: "Decisions" })).toBeVisible();

  await admin.goto("/admin");
  await admin.getByRole("link", { name: "Calibration and time to decision" }).click();
  await expect(admin).toHaveURL(/\/admin\/calibration$/);
  await expect(admin).toHaveTitle(/Calibration and time to decision/);
  await expect(admin.getByRole("heading", { level: 1, name: "Calibration and time to decision" })).toBeVisible();
  for (const section of ["Agreement between reviewers", "Reviewers' deviation from the others", "Widest disagreements", "Time to first review and to decision"]) {
    await expect(admin.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  await expect(admin.getByRole("heading", { level: 2, name: /^Overdue items \(\d+\)$/ })).toBeVisible();
  // Agreement needs two reviews of one application: the table, or the empty state when no item has two yet.
  await expect(admin.getByRole("region", { name: "Agreement per question" }).or(admin.getByText("Not enough reviews in this period: no application has two reviews yet.").first())).toBeVisible();
  await expect(admin.getByText("NaN")).toHaveCount(0);

  // The access request just decided counts: reviewed, decided, within the 24-hour target.
  const timing = admin.getByRole("region", { name: "Time to first review and to decision" });
  await expect(timing.getByTestId("timing-row")).toHaveCount(4);
  const accessStandard = timing.getByRole("row", { name: /^Access request Standard/ });
  const cells = accessStandard.getByRole("cell");
  await expect(cells.nth(1)).not.toHaveText("0"); // submitted
  await expect(cells.nth(4)).not.toHaveText("0"); // reviewed
  await expect(cells.nth(7)).not.toHaveText("0"); // decided
  await expect(cells.nth(8)).toHaveText("24 h");
  await expect(cells.nth(9)).toHaveText("100 %");
  expect(await seriousViolations(admin)).toEqual([]);

  // The period filter is a GET form; a value it does not offer is answered with a message.
  await admin.getByLabel("Period").selectOption("30");
  await admin.getByRole("button", { name: "Show" }).click();
  await expect(admin).toHaveURL(/\/admin\/calibration\?period=30$/);
  await expect(admin.getByText(/^Reviews and submissions since /)).toBeVisible();
  await expect(admin.getByLabel("Period")).toHaveValue("30");
  await admin.goto("/admin/calibration?period=7");
  await expect(admin.getByRole("main").getByRole("alert")).toHaveText("Choose a period of 30, 90 or 365 days.");
  await expect(admin.getByRole("heading", { level: 2, name: "Agreement between reviewers" })).toHaveCount(0);

  const response = await reviewer.goto("/admin/calibration");
  expect(response?.status()).toBe(403);
  await expect(reviewer.getByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeVisible();
  await expect(reviewer.getByRole("heading", { name: "Calibration and time to decision" })).toHaveCount(0);
  await Promise.all([reviewer.context().close(), admin.context().close()]);
});
