// Fresh accounts for specs that change state: each test signs up its own user, so parallel tests never share one.
import { randomUUID } from "node:crypto";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { Role } from "../lib/users/schema";
import { demoAccounts } from "../prisma/demo-accounts";

export interface TestAccount {
  name: string;
  email: string;
  password: string;
}

/** The seeded demo account of a role; specs only read with it, never change it. */
export function demoAccount(role: Role): TestAccount {
  const account = demoAccounts.find((candidate) => candidate.role === role);
  if (!account) throw new Error(`The seed has no demo ${role.toLowerCase()}.`);
  return account;
}

/** A never-used account: the label shows in the email, so a failing test's data is easy to find. */
export function freshAccount(label: string): TestAccount {
  const id = randomUUID().slice(0, 8);
  return { name: `E2E ${label} ${id}`, email: `e2e-${label}-${id}@example.com`, password: `e2e-password-${id}` };
}

/** Signs up through /signup and waits until the new applicant is signed in on /applicant. */
export async function signUp(page: Page, account: TestAccount): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Work email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/applicant$/);
  await expect(mainNav(page).getByRole("link", { name: new RegExp(account.name) })).toBeVisible();
}

/** Submits the sign-in form and resolves once the server has answered. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  const answered = page.waitForResponse((response) => response.url().includes("/api/auth/callback/credentials"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await answered;
}

export async function signOut(page: Page): Promise<void> {
  await mainNav(page).getByRole("button", { name: "Sign out" }).click();
  await expect(mainNav(page).getByRole("link", { name: "Sign in" })).toBeVisible();
}

export function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Main" });
}

/** A second, signed-out browser context (the project's storageState is not inherited). */
export async function anonymousContext(browser: Browser, baseURL: string | undefined): Promise<BrowserContext> {
  return browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
}
