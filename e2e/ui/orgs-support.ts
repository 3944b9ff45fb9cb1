// Helpers for the organisation specs: fresh accounts signed up through the UI, so parallel tests share nothing.
import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "orgs-e2e-password";

export function freshAccount(label: string) {
  const id = randomBytes(4).toString("hex");
  return { name: `${label} ${id}`, email: `${label.toLowerCase()}-${id}@example.com` };
}

/** Fills the sign-up form on the current page (/signup, possibly with a callbackUrl) and waits for the signed-in header. */
export async function completeSignUp(page: Page, account: { name: string; email: string }) {
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Work email").fill(account.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("link", { name: new RegExp(account.name) })).toBeVisible();
}

export async function signUp(page: Page, account: { name: string; email: string }) {
  await page.goto("/signup");
  await completeSignUp(page, account);
}

export async function createOrganization(page: Page, name: string): Promise<string> {
  await page.goto("/applicant");
  await page.getByRole("link", { name: "Create an organisation" }).click();
  await page.getByLabel("Organisation name").fill(name);
  await page.getByLabel("Website (optional)").fill("https://example.com");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  const match = /\/applicant\/organizations\/([^/?]+)/.exec(page.url());
  if (!match?.[1]) throw new Error(`Unexpected URL after creating an organisation: ${page.url()}`);
  return match[1];
}

export async function createInvitationLink(page: Page, options: { email?: string; role?: "Member" | "Owner" } = {}): Promise<string> {
  if (options.email) await page.getByLabel("Email (optional)").fill(options.email);
  if (options.role) await page.getByLabel("Role").selectOption({ label: options.role });
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const field = page.getByRole("textbox", { name: "Invitation link" });
  await expect(field).toHaveValue(/\/invitations\/[A-Za-z0-9_-]{43}$/);
  return field.inputValue();
}
