// Journey: the admin manages accounts on /admin/users; each change reaches the affected user on their next request
// and is written to the audit log. Every test acts on its own freshly signed-up user, never on a demo account.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { demoAccounts } from "../../prisma/demo-accounts";
import { anonymousContext, demoAccount, freshAccount, signUp, submitSignIn } from "../accounts";
import { storageStateFor } from "../fixtures";

test.use({ storageState: storageStateFor("ADMIN") });

const admin = demoAccount("ADMIN");

/** Opens /admin/users filtered to one email and returns that user's row. */
async function openUserRow(page: Page, email: string): Promise<Locator> {
  await page.goto(`/admin/users?q=${encodeURIComponent(email)}`);
  const row = page.getByTestId(`user-row-${email}`);
  await expect(row).toBeVisible();
  return row;
}

/** The user's id, as the row's forms send it, to find their entries in the audit log. */
async function userIdOf(row: Locator): Promise<string> {
  return row.locator('input[name="userId"]').first().inputValue();
}

/** Each action appears once in the admin's recent audit log, by the admin, about this user. */
async function expectAuditEntries(page: Page, userId: string, actions: string[]): Promise<void> {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Recent audit log" })).toBeVisible();
  for (const action of actions) {
    const entry = page.getByRole("table").getByRole("row").filter({ hasText: action }).filter({ hasText: userId });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(admin.email);
  }
}

test("an applicant made a reviewer reaches the review queue on their next request and loses the applicant area", async ({
  page,
  browser,
  baseURL,
}) => {
  test.slow(); // two browsers and several password hashes
  const userContext = await anonymousContext(browser, baseURL);
  const userPage = await userContext.newPage();
  const account = freshAccount("promote");
  await signUp(userPage, account);
  expect((await userPage.goto("/review"))?.status()).toBe(403);

  const row = await openUserRow(page, account.email);
  const userId = await userIdOf(row);
  await row.getByLabel(`Role of ${account.email}`, { exact: true }).selectOption({ label: "reviewer" });
  await row.getByRole("button", { name: `Save role of ${account.email}`, exact: true }).click();
  await expect(row.getByRole("status")).toHaveText(`${account.email} is now reviewer.`);

  // The same session, without signing in again: the role is read from the database on every request.
  const review = await userPage.goto("/review");
  expect(review?.status()).toBe(200);
  await expect(userPage.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
  const applicant = await userPage.goto("/applicant");
  expect(applicant?.status()).toBe(403);
  await expect(userPage.getByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeVisible();
  await expect(userPage.getByRole("navigation", { name: "Main" }).getByRole("listitem")).toHaveText(["Review queue"]);

  await expectAuditEntries(page, userId, ["user.role_changed"]);
  await userContext.close();
});

test("suspending asks for confirmation, signs the user out on their next request, and reinstating restores access", async ({
  page,
  browser,
  baseURL,
}) => {
  test.slow(); // two browsers and several password hashes
  const userContext = await anonymousContext(browser, baseURL);
  const userPage = await userContext.newPage();
  const account = freshAccount("suspend");
  await signUp(userPage, account);

  const row = await openUserRow(page, account.email);
  const userId = await userIdOf(row);
  const dialog = page.getByRole("dialog", { name: `Suspend ${account.email}?` });

  // Cancel changes nothing.
  await row.getByRole("button", { name: "Suspend", exact: true }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel", exact: true })).toBeFocused();
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  expect((await userPage.goto("/applicant"))?.status()).toBe(200);

  // Confirming suspends.
  await row.getByRole("button", { name: "Suspend", exact: true }).click();
  await dialog.getByRole("button", { name: "Suspend account", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByRole("status")).toHaveText(`${account.email} is suspended.`);
  await expect(row.getByText("Suspended", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: "Reinstate", exact: true })).toBeVisible();

  // The suspended user's very next request sends them to sign in with a notice, and signing in is refused.
  await userPage.goto("/applicant");
  await expect(userPage).toHaveURL(/\/signin\?error=suspended$/);
  const notice = userPage.getByRole("main").getByRole("alert");
  await expect(notice).toHaveText("Your account is suspended. Contact your Gatehouse administrator.");
  await expect(userPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  await submitSignIn(userPage, account.email, account.password);
  await expect(notice).toHaveText("This account is suspended. Contact your Gatehouse administrator.");
  await expect(userPage).toHaveURL(/\/signin\?error=suspended$/);

  // Reinstating lets them sign in again.
  await row.getByRole("button", { name: "Reinstate", exact: true }).click();
  await expect(row.getByRole("status")).toHaveText(`${account.email} is reinstated.`);
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  // The suspension ended the old session: reinstating does not revive it.
  await userPage.goto("/applicant");
  await expect(userPage).toHaveURL(/\/signin\?callbackUrl=%2Fapplicant$/);
  const freshContext = await anonymousContext(browser, baseURL);
  const signInPage = await freshContext.newPage();
  await signInPage.goto("/signin");
  await submitSignIn(signInPage, account.email, account.password);
  await expect(signInPage).toHaveURL(/\/applicant$/);
  await expect(signInPage.getByRole("heading", { level: 1, name: "My applications" })).toBeVisible();

  await expectAuditEntries(page, userId, ["user.suspended", "user.reinstated"]);
  await Promise.all([userContext.close(), freshContext.close()]);
});

test("the admin cannot suspend themself or change their own role", async ({ page }) => {
  const row = await openUserRow(page, admin.email);
  await expect(row.getByRole("button", { name: "Suspend", exact: true })).toBeDisabled();
  await expect(row.getByLabel(`Role of ${admin.email}`, { exact: true })).toBeDisabled();
  await expect(row.getByRole("button", { name: `Save role of ${admin.email}`, exact: true })).toBeDisabled();
});

test("searching filters the table by email or name", async ({ page, browser, baseURL }) => {
  const userContext = await anonymousContext(browser, baseURL);
  const account = freshAccount("search");
  await signUp(await userContext.newPage(), account);
  await userContext.close();

  await page.goto("/admin/users");
  const search = page.getByRole("search").getByLabel("Search users");
  await search.fill(account.email);
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(`/admin/users?q=${encodeURIComponent(account.email)}`);
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2); // the header and the one match
  await expect(page.getByTestId(`user-row-${account.email}`)).toBeVisible();
  await expect(page.getByText(/^1 account\. /)).toBeVisible();

  await page.getByRole("search").getByLabel("Search users").fill(account.name.toUpperCase());
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId(`user-row-${account.email}`)).toBeVisible();
  await expect(rows).toHaveCount(2);

  await page.getByRole("search").getByLabel("Search users").fill("@gatehouse.test");
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  for (const demo of demoAccounts) await expect(page.getByTestId(`user-row-${demo.email}`)).toBeVisible();
  await expect(page.getByTestId(`user-row-${account.email}`)).toHaveCount(0);
  await expect(rows).toHaveCount(demoAccounts.length + 1);

  await page.getByRole("search").getByLabel("Search users").fill("no-such-account-anywhere");
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("No account matches “no-such-account-anywhere”.")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("a page number past the last page opens the last page, with its accounts, not an empty list", async ({ page }) => {
  await page.goto("/admin/users?q=%40gatehouse.test&page=999");
  await expect(page).toHaveURL(/\/admin\/users\?q=%40gatehouse\.test&page=1$/);
  for (const demo of demoAccounts) await expect(page.getByTestId(`user-row-${demo.email}`)).toBeVisible();
  await expect(page.getByText("No accounts yet.")).toHaveCount(0);
});
