// Journey: a visitor creates an account from /signup and lands, signed in, in the applicant area.
import { expect, test, type Page } from "@playwright/test";
import { demoAccount, freshAccount, mainNav } from "../accounts";

function formMessage(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

test.beforeEach(async ({ page }) => {
  await page.goto("/signup");
});

test("invalid fields are flagged, described and announced before anything is sent", async ({ page }) => {
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(formMessage(page)).toHaveText("Please correct the highlighted fields.");
  const name = page.getByLabel("Your name");
  const email = page.getByLabel("Work email");
  const password = page.getByLabel("Password");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription("Enter your name.");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter a valid email address, like name@example.com.");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toHaveAccessibleDescription(/Use at least 10 characters\./);
  await expect(page).toHaveURL(/\/signup$/);
});

test("a name with a hidden text-direction override is refused, so it cannot disguise itself to reviewers", async ({ page }) => {
  await page.getByLabel("Your name").fill("Alice \u202Eevil");
  await page.getByLabel("Work email").fill("alice-rlo@example.com");
  await page.getByLabel("Password").fill("long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Your name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Your name")).toHaveAccessibleDescription(/invisible formatting character/);
  await expect(page).toHaveURL(/\/signup$/);
});

test("a corrected field is no longer flagged when the form is sent again", async ({ page }) => {
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Your name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Your name").fill("Casey Correct");
  await page.getByLabel("Work email").fill("casey@");
  await page.getByLabel("Password").fill("long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Your name")).not.toHaveAttribute("aria-invalid");
  await expect(page.getByLabel("Password")).not.toHaveAttribute("aria-invalid");
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription("At least 10 characters.");
});

test("an email that already has an account is refused, whatever its letter case", async ({ page }) => {
  const existing = demoAccount("APPLICANT");
  await page.getByLabel("Your name").fill("Someone Else");
  await page.getByLabel("Work email").fill(existing.email.toUpperCase());
  await page.getByLabel("Password").fill("a-perfectly-fine-password");
  await page.getByRole("button", { name: "Create account" }).click();

  const email = page.getByLabel("Work email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("An account with this email already exists. Sign in instead.");
  await expect(formMessage(page)).toHaveText("An account with this email already exists.");
  await expect(page).toHaveURL(/\/signup$/);
});

test("a new account is signed in, lands in the applicant area and is named in the navigation", async ({ page }) => {
  const account = freshAccount("signup");
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Work email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/applicant$/);
  await expect(page.getByRole("heading", { level: 1, name: "My applications" })).toBeVisible();
  await expect(page.getByText(`Signed in as ${account.email}`)).toBeVisible();
  const nav = mainNav(page);
  await expect(nav.getByRole("link", { name: `${account.name} (applicant)` })).toBeVisible();
  await expect(nav.getByRole("link", { name: "My applications" })).toBeVisible();
  await expect(nav.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Sign in" })).toHaveCount(0);
});
