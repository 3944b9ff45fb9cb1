// Journey: a user changes their password on /account; afterwards only the new password signs them in.
import { expect, test, type Page } from "@playwright/test";
import { freshAccount, signOut, signUp, submitSignIn } from "../accounts";

async function submitPasswordChange(page: Page, fields: { current: string; next: string; repeat: string }): Promise<void> {
  await page.getByLabel("Current password", { exact: true }).fill(fields.current);
  await page.getByLabel("New password", { exact: true }).fill(fields.next);
  await page.getByLabel("Repeat new password", { exact: true }).fill(fields.repeat);
  await page.getByRole("button", { name: "Change password" }).click();
}

test("a user changes their password, then signs in with the new one and not the old one", async ({ page }) => {
  test.slow(); // one journey through sign-up, three password changes, sign-out and two sign-ins
  const account = freshAccount("password");
  const newPassword = `${account.password}-renewed`;
  await signUp(page, account);
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  const formMessage = page.getByRole("main").getByRole("alert").or(page.getByRole("main").getByRole("status"));
  const current = page.getByLabel("Current password", { exact: true });
  const repeat = page.getByLabel("Repeat new password", { exact: true });

  await submitPasswordChange(page, { current: "not-my-password", next: newPassword, repeat: newPassword });
  await expect(current).toHaveAttribute("aria-invalid", "true");
  await expect(current).toHaveAccessibleDescription("The current password is incorrect.");
  await expect(formMessage).toHaveText("The current password is incorrect.");

  await submitPasswordChange(page, { current: account.password, next: newPassword, repeat: `${newPassword}-typo` });
  await expect(repeat).toHaveAttribute("aria-invalid", "true");
  await expect(repeat).toHaveAccessibleDescription("The two new passwords differ.");
  await expect(current).not.toHaveAttribute("aria-invalid");
  await expect(formMessage).toHaveText("Please correct the highlighted fields.");

  await submitPasswordChange(page, { current: account.password, next: newPassword, repeat: newPassword });
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Your password was changed.");
  await expect(current).not.toHaveAttribute("aria-invalid");
  await expect(repeat).not.toHaveAttribute("aria-invalid");

  await signOut(page);
  await page.goto("/signin");
  await submitSignIn(page, account.email, account.password);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The email or password is incorrect.");
  await expect(page).toHaveURL(/\/signin$/);

  await submitSignIn(page, account.email, newPassword);
  await expect(page).toHaveURL(/\/applicant$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: new RegExp(account.name) })).toBeVisible();
});
