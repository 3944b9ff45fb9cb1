// Outsiders: a fresh applicant gets the 404 page for every page of someone else's application.
import { expect, test } from "@playwright/test";
import { freshAccount, signUp } from "../accounts";
import { storageStateFor } from "../fixtures";

test("a fresh applicant gets the 404 page on the demo application's pages", async ({ browser }) => {
  test.setTimeout(120_000);
  const demo = await browser.newContext({ storageState: storageStateFor("APPLICANT") });
  const demoPage = await demo.newPage();
  await demoPage.goto("/applicant");
  const href = await demoPage.getByRole("row").filter({ hasText: "Approved" }).getByRole("link", { name: "Support reply drafts", exact: true }).getAttribute("href");
  expect(href).toMatch(/^\/applicant\/applications\/[^/]+$/);
  await demo.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, freshAccount("outsider"));

  for (const path of [href, `${href}/edit`, `${href}/versions`]) {
    const response = await page.goto(String(path));
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }

  await page.goto("/applicant");
  await expect(page.getByText("You have no applications yet.")).toBeVisible();
  // Without an organisation the home offers to create one first, not an application that could not be filed.
  await expect(page.getByRole("link", { name: "Create an organisation" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Start an application" })).toHaveCount(0);
  await page.goto("/applicant/applications/new");
  await expect(page.getByText("you are not a member of one yet")).toBeVisible();
  await context.close();
});

test("a reviewer is refused the applicant's application pages with a 403", async ({ browser }) => {
  test.setTimeout(120_000);
  const demo = await browser.newContext({ storageState: storageStateFor("APPLICANT") });
  const demoPage = await demo.newPage();
  await demoPage.goto("/applicant");
  const href = await demoPage.getByRole("row").filter({ hasText: "Approved" }).getByRole("link", { name: "Support reply drafts", exact: true }).getAttribute("href");
  await demo.close();

  const context = await browser.newContext({ storageState: storageStateFor("REVIEWER") });
  const page = await context.newPage();
  for (const path of [String(href), "/applicant/applications/new"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
  await context.close();
});
