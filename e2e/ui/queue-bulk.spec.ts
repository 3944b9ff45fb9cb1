// Journey: an admin searches the queue, saves the search as a view, selects the results and bulk-assigns a reviewer
// after a preview (a second preview over the whole search skips them as already assigned), the reviewer finds them in
// their queue, and the saved view re-runs the search.
import { expect, test } from "@playwright/test";
import { demoAccount } from "../accounts";
import { seriousViolations } from "../accessibility";
import { submitApplication, uniqueProductName } from "../applications-helpers";
import { pageAs } from "../fixtures";

test("an admin saves a search as a view, bulk-assigns its results to a reviewer after a preview, and re-opens the view", async ({ browser }) => {
  test.setTimeout(240_000);
  const tag = uniqueProductName("Bulk").replace(" ", "");
  const names = [`${tag} alpha`, `${tag} beta`];
  const applicant = await pageAs(browser, "APPLICANT");
  for (const name of names) await submitApplication(applicant, { productName: name });
  await applicant.context().close();

  const admin = await pageAs(browser, "ADMIN");
  const rows = admin.getByTestId("queue-row");
  await admin.goto("/review");
  await admin.getByLabel("Search").fill(tag);
  await admin.getByRole("button", { name: "Apply" }).click();
  await expect(admin).toHaveURL(/q=/);
  await expect(rows).toHaveCount(2);

  // Save the search as a view.
  const viewName = `Bulk view ${tag.slice(-6)}`;
  await admin.getByLabel("Name for a saved view").fill(viewName);
  await admin.getByRole("button", { name: "Save view" }).click();
  await expect(admin.getByText(`Saved as “${viewName}”.`)).toBeVisible();
  await expect(admin.getByRole("list", { name: "Saved views" }).getByRole("link", { name: viewName })).toBeVisible();

  // Nothing selected: the preview says what is missing.
  const bulk = admin.getByRole("form", { name: "Bulk action" });
  const reviewer = demoAccount("REVIEWER");
  await bulk.getByLabel("Reviewer").selectOption({ label: `${reviewer.name} (${reviewer.email})` });
  await bulk.getByRole("button", { name: "Preview" }).click();
  await expect(admin.getByText("Select at least one application.")).toBeVisible();

  // Select both results, preview, confirm.
  for (const name of names) await admin.getByRole("checkbox", { name: `Select ${name}` }).check();
  await bulk.getByRole("button", { name: "Preview" }).click();
  const preview = admin.getByTestId("bulk-preview");
  await expect(preview).toContainText(`Assign ${reviewer.name} (${reviewer.email}) to 2 applications`);
  await expect(preview.getByRole("list", { name: "Will change" }).getByRole("listitem")).toHaveText(names);
  expect(await seriousViolations(admin)).toEqual([]);
  await preview.getByRole("button", { name: "Confirm: assign a reviewer (2)" }).click();
  await expect(admin.getByTestId("bulk-result")).toContainText("Assigned 2 applications.");
  for (const name of names) await expect(rows.filter({ hasText: name })).toContainText("1 reviewer");

  // The whole search again: both are skipped, with the reason, and nothing is offered to confirm.
  await bulk.getByLabel("Select all 2 matching applications").check();
  await bulk.getByRole("button", { name: "Preview" }).click();
  await expect(preview.getByRole("list", { name: "Will be skipped" }).getByRole("listitem")).toHaveText(names.map((name) => `${name} — ${reviewer.email} is already assigned.`));
  await expect(preview.getByRole("button", { name: /Confirm/ })).toHaveCount(0);

  // The reviewer finds both in their queue.
  const reviewerPage = await pageAs(browser, "REVIEWER");
  await reviewerPage.goto(`/review?assigned=me&q=${encodeURIComponent(tag)}`);
  const mine = reviewerPage.getByTestId("queue-row");
  await expect(mine).toHaveCount(2);
  for (const name of names) await expect(mine.filter({ hasText: name })).toContainText("Yours");
  // Reviewers get no bulk actions.
  await expect(reviewerPage.getByRole("form", { name: "Bulk action" })).toHaveCount(0);
  await reviewerPage.context().close();

  // The saved view re-runs the search from a clean queue.
  await admin.goto("/review");
  await admin.getByRole("list", { name: "Saved views" }).getByRole("link", { name: viewName }).click();
  await expect(admin).toHaveURL(new RegExp(`q=${tag}`));
  await expect(rows).toHaveCount(2);
  await expect(admin.getByLabel("Search")).toHaveValue(tag);
  expect(await seriousViolations(admin)).toEqual([]);

  // Rename it, then delete it after confirming.
  const views = admin.getByRole("list", { name: "Saved views" });
  const renamed = `${viewName} renamed`;
  await views.getByText("Rename").click();
  const renameForm = admin.getByRole("form", { name: `Rename ${viewName}` });
  await renameForm.getByLabel("New name").fill(renamed);
  await renameForm.getByRole("button", { name: "Save name" }).click();
  await expect(views.getByRole("link", { name: renamed })).toBeVisible();
  await views.getByRole("button", { name: `Delete ${renamed}` }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Delete view" }).click();
  await expect(views.getByRole("link", { name: renamed })).toHaveCount(0);
});
