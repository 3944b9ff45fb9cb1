// The access matrix: each demo role reaches exactly its own areas, is refused the others with a 403,
// and anonymous visitors are sent to sign in.
import { expect, test } from "@playwright/test";
import { demoAccounts } from "../../prisma/demo-accounts";
import type { Role } from "../../lib/users/schema";
import { mainNav } from "../accounts";
import { storageStateFor } from "../fixtures";

const pages = [
  { path: "/applicant", heading: "My applications", allowed: ["APPLICANT"] },
  { path: "/review", heading: "Review queue", allowed: ["REVIEWER", "ADMIN"] },
  { path: "/admin", heading: "Admin", allowed: ["ADMIN"] },
  { path: "/admin/users", heading: "Users", allowed: ["ADMIN"] },
  { path: "/admin/audit", heading: "Audit log", allowed: ["ADMIN"] },
  { path: "/admin/appeals", heading: "Appeals", allowed: ["ADMIN"] },
  { path: "/admin/calibration", heading: "Calibration and time to decision", allowed: ["ADMIN"] },
  { path: "/admin/assignment", heading: "Automatic assignment", allowed: ["ADMIN"] },
  { path: "/account", heading: "Your account", allowed: ["APPLICANT", "REVIEWER", "ADMIN"] },
] as const satisfies readonly { path: string; heading: string; allowed: readonly Role[] }[];

const navLinks: Record<Role, string[]> = {
  APPLICANT: ["My applications"],
  REVIEWER: ["Review queue"],
  ADMIN: ["Review queue", "Admin"],
};

const homes: Record<Role, RegExp> = { APPLICANT: /\/applicant$/, REVIEWER: /\/review$/, ADMIN: /\/review$/ };


const forbiddenHeading = "You don't have access to this page";

for (const account of demoAccounts) {
  const role = account.role;
  const roleName = role.toLowerCase();

  test.describe(`signed in as the demo ${roleName}`, () => {
    test.use({ storageState: storageStateFor(role) });

    for (const target of pages) {
      const isAllowed = (target.allowed as readonly Role[]).includes(role);
      if (isAllowed) {
        test(`${roleName} can open ${target.path}`, async ({ page }) => {
          const response = await page.goto(target.path);
          expect(response?.status()).toBe(200);
          await expect(page).toHaveURL(new RegExp(`${target.path}$`));
          await expect(page.getByRole("heading", { level: 1, name: target.heading, exact: true })).toBeVisible();
          await expect(page.getByRole("heading", { name: forbiddenHeading })).toHaveCount(0);
        });
      } else {
        test(`${roleName} is refused ${target.path} with a 403`, async ({ page }) => {
          const response = await page.goto(target.path);
          expect(response?.status()).toBe(403);
          await expect(page).toHaveURL(new RegExp(`${target.path}$`));
          await expect(page.getByRole("heading", { level: 1, name: forbiddenHeading })).toBeVisible();
          await expect(page.getByRole("heading", { name: target.heading, exact: true })).toHaveCount(0);
          await expect(page.getByRole("link", { name: "Go to your area" })).toHaveAttribute("href", "/home");
        });
      }
    }

    test(`${roleName} sees exactly the navigation links of their areas`, async ({ page }) => {
      await page.goto("/account");
      const nav = mainNav(page);
      await expect(nav.getByRole("listitem")).toHaveText(navLinks[role]);
      await expect(nav.getByRole("link", { name: new RegExp(`^${account.name} \\(${roleName}\\)$`) })).toHaveAttribute("href", "/account");
      await expect(nav.getByRole("button", { name: "Sign out" })).toBeVisible();
      await expect(nav.getByRole("link", { name: "Sign in" })).toHaveCount(0);
    });

    test(`${roleName} is sent from /home to their first area`, async ({ page }) => {
      await page.goto("/home");
      await expect(page).toHaveURL(homes[role]);
    });
  });
}

test.describe("anonymous visitor", () => {
  for (const target of pages) {
    test(`is sent to sign in from ${target.path}`, async ({ page }) => {
      await page.goto(target.path);
      await expect(page).toHaveURL(`/signin?callbackUrl=${encodeURIComponent(target.path)}`);
      await expect(page.getByRole("heading", { name: "Sign in to Gatehouse" })).toBeVisible();
    });
  }

  test("sees only the sign-in and apply links in the navigation", async ({ page }) => {
    await page.goto("/");
    const nav = mainNav(page);
    await expect(nav.getByRole("listitem")).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Apply for access" })).toBeVisible();
    await expect(nav.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  });
});
