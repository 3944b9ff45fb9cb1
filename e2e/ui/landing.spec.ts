// Journey: a first-time visitor learns what Gatehouse is and finds the way to apply or sign in.
import { expect, test } from "@playwright/test";

test("the landing page explains Gatehouse and links to applying and signing in", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Gatehouse");
  const main = page.getByRole("main");
  await expect(main.getByRole("heading", { level: 1, name: "Reviewed, scoped access to a language-model API" })).toBeVisible();
  await expect(main.getByText(/Gatehouse lets this organisation offer a text-in, text-out model/)).toBeVisible();
  await expect(main.getByRole("heading", { level: 2, name: "How to apply" })).toBeVisible();
  await expect(main.getByRole("listitem").getByRole("heading", { level: 3 })).toHaveText(["Apply", "Get reviewed", "Build with scoped keys"]);

  await expect(main.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin");
  await main.getByRole("link", { name: "Apply for access" }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.getByRole("heading", { name: "Create your Gatehouse account" })).toBeVisible();

  await page.goBack();
  await main.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("heading", { name: "Sign in to Gatehouse" })).toBeVisible();
});

test("the first Tab reaches the skip link, which moves focus past the navigation", async ({ page }) => {
  await page.goto("/");
  const skipLink = page.getByRole("link", { name: "Skip to content" });
  await page.keyboard.press("Tab");
  await expect(skipLink).toBeFocused();
  await expect(skipLink).toBeVisible();
  await expect(skipLink).toHaveAttribute("href", "#main");

  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  // The next Tab continues inside the main content, not at the top of the navigation.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("main").getByRole("link", { name: "Apply for access" })).toBeFocused();
});
