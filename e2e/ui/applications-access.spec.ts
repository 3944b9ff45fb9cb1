// Outsiders: a fresh applicant gets the 404 page for every page of someone else's application.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";

test("a fresh applicant gets the 404 page on the demo application's pages", async ({ browser }) => {
  test.setTimeout(120_000);
  const demo = await browser.newContext({ storageState: storageStateFor("APPLICANT") });
  const demoPage = await demo.newPage();
  await demoPage.goto("/applicant");
  const href = await demoPage.getByRole("link", { name: "Support reply drafts" }).first().getAttribute("href");
  expect(href).toMatch(/^\/applicant\/applications\/[^/]+$/);
  await demo.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Outsider");
  await page.getByLabel("Work email").fill(`outsider-${randomBytes(4).toString("hex")}@example.com`);
  await page.getByLabel("Password").fill("outsider password 123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/home/);

  for (const path of [href, `${href}/edit`, `${href}/versions`]) {
    const response = await page.goto(String(path));
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }

  await page.goto("/applicant");
  await expect(page.getByText("You have no applications yet.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Start an application" })).toBeVisible();
  await page.goto("/applicant/applications/new");
  await expect(page.getByText("you are not a member of one yet")).toBeVisible();
  await context.close();
});
