// Journey: an existing user signs in and out; wrong passwords are refused and, repeated, throttled.
import { expect, test, type Page } from "@playwright/test";
import { freshAccount, mainNav, signOut, signUp, submitSignIn } from "../accounts";

function formMessage(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

test("a user signs out, signs back in to their area and signs out again", async ({ page }) => {
  const account = freshAccount("signin");
  await signUp(page, account);
  await signOut(page);
  await expect(page).toHaveURL(/\/$/);
  await expect(mainNav(page).getByRole("link", { name: "Apply for access" })).toBeVisible();

  await page.goto("/signin");
  await submitSignIn(page, account.email, account.password);
  await expect(page).toHaveURL(/\/applicant$/);
  await expect(mainNav(page).getByRole("link", { name: new RegExp(account.name) })).toBeVisible();

  await signOut(page);
  await page.goto("/applicant");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fapplicant$/);
});

test("a wrong password is refused with a message that does not say which part was wrong", async ({ page }) => {
  const account = freshAccount("wrongpw");
  await signUp(page, account);
  await signOut(page);

  await page.goto("/signin");
  await submitSignIn(page, account.email, `${account.password}-typo`);
  await expect(formMessage(page)).toHaveText("The email or password is incorrect.");
  await expect(page).toHaveURL(/\/signin$/);

  await submitSignIn(page, `nobody-${account.email}`, account.password);
  await expect(formMessage(page)).toHaveText("The email or password is incorrect.");
});

test("after five failed sign-ins the email is locked, even for the right password", async ({ page }) => {
  test.slow(); // seven password checks, each deliberately slow (argon2id)
  const account = freshAccount("throttle");
  await signUp(page, account);
  await signOut(page);

  await page.goto("/signin");
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await submitSignIn(page, account.email, `wrong-password-${attempt}`);
    await expect(formMessage(page)).toHaveText("The email or password is incorrect.");
  }
  await submitSignIn(page, account.email, account.password);
  await expect(formMessage(page)).toHaveText(/^Too many failed sign-ins for this email\. Try again in 1[45] minutes\.$/);
  await expect(page).toHaveURL(/\/signin$/);

  // Only that email is locked: another account signs in as usual.
  const other = freshAccount("unthrottled");
  await signUp(page, other);
});

test("a visitor sent to sign in from a protected page is returned to it afterwards", async ({ page }) => {
  const account = freshAccount("callback");
  await signUp(page, account);
  await signOut(page);

  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
  await submitSignIn(page, account.email, account.password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
});

test("a callbackUrl pointing to another site is ignored", async ({ page }) => {
  const account = freshAccount("offsite");
  await signUp(page, account);
  await signOut(page);

  // `/\evil.example` is `//evil.example` to a browser.
  for (const offsite of ["%2F%2Fevil.example%2F", "%2F%5Cevil.example%2Fphish"]) {
    await page.goto(`/signin?callbackUrl=${offsite}`);
    await submitSignIn(page, account.email, account.password);
    await expect(page).toHaveURL(/^http:\/\/(localhost|127\.0\.0\.1):\d+\/applicant$/);
    await signOut(page);
  }
});
