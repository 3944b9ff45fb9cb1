// An admin runs automatic assignment over two new access requests: previews the plan and the reviewers' loads,
// confirms, and the reviewer finds both in their queue. The spec's own category keeps other specs' items out of it.
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { demoAccount } from "../accounts";
import { seriousViolations } from "../accessibility";
import { submitApplication, uniqueProductName } from "../applications-helpers";
import { pageAs } from "../fixtures";

async function createCategory(admin: Page, name: string, slug: string) {
  await admin.goto("/admin/categories/new");
  await admin.getByLabel("Name").fill(name);
  await admin.getByLabel("Slug").fill(slug);
  await admin.getByLabel("Status").selectOption({ label: "supported" });
  await admin.getByLabel("Description").fill("Summaries of support tickets for the agent who answers them.");
  await admin.getByLabel("Examples").fill("Summarise a ticket thread");
  await admin.getByLabel("Safeguards reviewers expect").fill("Human review");
  await admin.getByRole("button", { name: "Create category" }).click();
  await expect(admin.getByText("Category created.")).toBeVisible();
}

test("an admin previews automatic assignment with the resulting loads, confirms, and the reviewer's queue shows the items", async ({ browser }) => {
  test.setTimeout(180_000);
  const suffix = randomBytes(3).toString("hex");
  const category = `Auto-assign tickets ${suffix}`;
  const products = [uniqueProductName("Auto-assigned summaries"), uniqueProductName("Auto-assigned triage")];
  const reviewerEmail = demoAccount("REVIEWER").email;

  const admin = await pageAs(browser, "ADMIN");
  await createCategory(admin, category, `auto-assign-${suffix}`);
  const applicant = await pageAs(browser, "APPLICANT");
  for (const productName of products) await submitApplication(applicant, { productName, category: `${category} (supported)` });
  await applicant.context().close();

  await admin.goto("/review");
  await admin.getByRole("link", { name: "Automatic assignment" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Automatic assignment" })).toBeVisible();
  await admin.getByLabel("Category").selectOption({ label: category });
  const reviewers = admin.getByRole("group", { name: /Reviewers/ });
  // Choosing nobody is answered on the page.
  for (const box of await reviewers.getByRole("checkbox").all()) await box.uncheck();
  await admin.getByRole("button", { name: "Preview automatic assignment" }).click();
  await expect(admin.getByText("Choose at least one reviewer.").first()).toBeVisible();

  await admin.getByRole("group", { name: /Reviewers/ }).getByRole("checkbox", { name: new RegExp(reviewerEmail.replace(/[.+]/g, "\\$&")) }).check();
  // Other specs running alongside may give the demo reviewer a claim between the preview and the confirmation: the
  // server then refuses the stale plan (its loads changed), and the admin previews again, as the message says.
  const assigned = admin.getByText("Assigned 2 reviews on 2 applications; 1 reviewer was notified.");
  const changed = admin.getByText(/changed since your preview\. Preview again/);
  for (let attempt = 1; ; attempt++) {
    await admin.getByRole("button", { name: "Preview automatic assignment" }).click();
    await expect(admin.getByTestId("auto-assignment-summary")).toHaveText("2 applications need reviewers: this plan makes 2 assignments. Nothing changes until you confirm.");
    await expect(changed).toBeHidden();
    const load = admin.getByTestId(`load-${reviewerEmail}`);
    const before = Number(await load.getByRole("cell").first().textContent());
    await expect(load).toContainText(`${before} → ${before + 2}`);
    const proposed = admin.getByRole("region", { name: "Proposed assignments" });
    for (const productName of products) await expect(proposed.getByRole("row", { name: new RegExp(productName) })).toContainText(reviewerEmail);
    await expect(admin.getByText("Every application in scope gets all the reviewers it needs.")).toBeVisible();
    if (attempt === 1) expect(await seriousViolations(admin)).toEqual([]);

    await admin.getByRole("button", { name: "Confirm" }).click();
    const dialog = admin.getByRole("dialog", { name: "Apply this assignment?" });
    await expect(dialog).toContainText("2 assignments to 2 applications");
    await dialog.getByRole("button", { name: "Assign and notify" }).click();
    await expect(assigned.or(changed).first()).toBeVisible();
    if (await assigned.isVisible()) break;
    expect(attempt, "the plan kept changing under the preview").toBeLessThan(3);
  }

  const reviewer = await pageAs(browser, "REVIEWER");
  await reviewer.goto("/review?assigned=me");
  for (const productName of products) await expect(reviewer.getByRole("link", { name: productName })).toBeVisible();
  await reviewer.goto("/notifications");
  await expect(reviewer.getByText("You were assigned 2 applications").first()).toBeVisible();
});
