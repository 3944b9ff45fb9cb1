// Every main page, as each role that reaches it: no serious or critical axe-core violations, and no sideways
// scrolling on a 390 px wide phone (tables may scroll inside their own box).
import { expect, test, type Page } from "@playwright/test";
import type { Role } from "../../lib/users/schema";
import { horizontalOverflow, seriousViolations } from "../accessibility";
import { storageStateFor } from "../fixtures";

/** A page to check: a fixed path, or the first link under `from` whose href starts with `linkPrefix`. */
type PageSpec = string | { name: string; from: string; linkPrefix: string; exclude?: string };

const pagesByRole: Record<Role | "ANONYMOUS", PageSpec[]> = {
  ANONYMOUS: ["/", "/policy", "/signin", "/signup"],
  APPLICANT: [
    "/applicant",
    "/applicant/applications/new",
    { name: "an application", from: "/applicant", linkPrefix: "/applicant/applications/", exclude: "/applicant/applications/new" },
    { name: "an organisation", from: "/applicant", linkPrefix: "/applicant/organizations/", exclude: "/applicant/organizations/new" },
    "/applicant/keys",
    "/applicant/usage",
    "/applicant/playground",
    "/notifications",
    "/account",
  ],
  REVIEWER: ["/review", { name: "a queued application", from: "/review", linkPrefix: "/review/applications/" }, "/notifications", "/account"],
  ADMIN: [
    "/admin",
    "/admin/users",
    "/admin/keys",
    "/admin/categories",
    "/admin/categories/new",
    { name: "a category", from: "/admin/categories", linkPrefix: "/admin/categories/", exclude: "/admin/categories/new" },
    "/admin/moderation",
    "/admin/audit",
    "/admin/outbox",
    "/admin/usage",
    "/admin/settings",
    "/admin/appeals",
    "/admin/calibration",
    "/admin/assignment",
    "/review",
    { name: "a queued application", from: "/review", linkPrefix: "/review/applications/" },
  ],
};

async function resolvePath(page: Page, spec: PageSpec): Promise<string> {
  if (typeof spec === "string") return spec;
  await page.goto(spec.from);
  const hrefs = await page.locator(`main a[href^="${spec.linkPrefix}"]`).evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  const href = hrefs.find((candidate) => candidate !== spec.exclude && !candidate.includes("?"));
  expect(href, `${spec.from} links to ${spec.name}`).toBeTruthy();
  return href ?? spec.from;
}

for (const [role, specs] of Object.entries(pagesByRole) as [Role | "ANONYMOUS", PageSpec[]][]) {
  test.describe(`as ${role === "ANONYMOUS" ? "a visitor" : `the demo ${role.toLowerCase()}`}`, () => {
    test.use({ storageState: role === "ANONYMOUS" ? { cookies: [], origins: [] } : storageStateFor(role) });

    for (const spec of specs) {
      const name = typeof spec === "string" ? spec : spec.name;
      test(`${name} passes axe-core with no serious or critical violations and fits a 390 px screen`, async ({ page }) => {
        const path = await resolvePath(page, spec);
        const response = await page.goto(path);
        expect(response?.status(), path).toBeLessThan(400);
        expect.soft(await seriousViolations(page), path).toEqual([]);

        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(path);
        expect.soft(await horizontalOverflow(page), `${path} scrolls sideways at 390 px`).toBe(0);
      });
    }
  });
}
