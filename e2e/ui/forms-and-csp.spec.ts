// Hostile conditions in the browser: forms submitted before (or without) JavaScript never put a password in a URL,
// every form posts, and the Content-Security-Policy leaves Next's scripts working with no violations.
import { expect, test, type Browser, type Page } from "@playwright/test";
import type { Role } from "../../lib/users/schema";
import { demoAccount } from "../accounts";
import { storageStateFor } from "../fixtures";

async function noScriptPage(browser: Browser, baseURL: string | undefined, role?: Role): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: false,
    storageState: role ? storageStateFor(role) : { cookies: [], origins: [] },
  });
  return context.newPage();
}

/** Clicks `button` and returns the navigation request the browser sends for the form (no JavaScript runs). */
async function submitWithoutScript(page: Page, button: string) {
  const submitted = page.waitForRequest((request) => request.isNavigationRequest());
  await page.getByRole("button", { name: button }).click();
  const request = await submitted;
  const response = await request.response();
  return { request, status: response?.status() ?? 0 };
}

test("a sign-in submitted without JavaScript posts the password in the body, never in the URL", async ({ browser, baseURL }) => {
  const page = await noScriptPage(browser, baseURL);
  const account = demoAccount("APPLICANT");
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  const { request, status } = await submitWithoutScript(page, "Sign in");
  expect(request.method()).toBe("POST");
  expect(request.url()).not.toContain("password");
  expect(request.postData() ?? "").toContain("password=");
  expect(status).toBeLessThan(500);
  expect(page.url()).not.toContain(account.password);
  await page.context().close();
});

test("a sign-up submitted without JavaScript does not put the password in the URL either", async ({ browser, baseURL }) => {
  const page = await noScriptPage(browser, baseURL);
  const password = "no-script-password-123";
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("No Script");
  await page.getByLabel("Work email").fill("no-script@example.com");
  await page.getByLabel("Password").fill(password);
  const { request, status } = await submitWithoutScript(page, "Create account");
  expect(request.method()).toBe("POST");
  expect(request.url()).not.toContain("password");
  expect(status).toBeLessThan(500);
  expect(page.url()).not.toContain(password);
  await page.context().close();
});

// The forms each role meets, as the server renders them (before hydration): searches GET, everything else POSTs.
const pagesByRole: [Role | null, string[]][] = [
  [null, ["/signin", "/signup"]],
  ["APPLICANT", ["/applicant", "/applicant/keys", "/applicant/organizations/new", "/applicant/applications/new", "/account", "/applicant/playground"]],
  ["REVIEWER", ["/review"]],
  ["ADMIN", ["/admin/users", "/admin/keys", "/admin/categories", "/admin/settings", "/review"]],
];

for (const [role, paths] of pagesByRole) {
  test(`every form ${role ? `a ${role.toLowerCase()} sees` : "of the public pages"} posts, unless it is a search`, async ({ browser, baseURL }) => {
    const page = await noScriptPage(browser, baseURL, role ?? undefined);
    let formCount = 0;
    for (const path of paths) {
      await page.goto(path);
      const forms = await page.locator("form").evaluateAll((elements) =>
        elements.map((form) => ({ method: (form.getAttribute("method") ?? "").toLowerCase(), isSearch: form.getAttribute("role") === "search", html: form.outerHTML.slice(0, 120) })),
      );
      formCount += forms.length;
      for (const form of forms) expect(form.method, `${path}: ${form.html}`).toBe(form.isSearch ? "get" : "post");
    }
    expect(formCount).toBeGreaterThan(0);
    await page.context().close();
  });
}

const cspPages: [Role | null, string[]][] = [
  [null, ["/", "/signin", "/signup", "/policy"]],
  ["APPLICANT", ["/applicant", "/applicant/keys", "/applicant/usage", "/applicant/playground", "/account", "/notifications"]],
  ["ADMIN", ["/admin", "/admin/users", "/admin/keys", "/admin/categories", "/admin/usage", "/admin/moderation", "/review"]],
];

for (const [role, paths] of cspPages) {
  test(`the CSP reports no violations on the ${role ? role.toLowerCase() : "public"} pages, and they hydrate`, async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, storageState: role ? storageStateFor(role) : { cookies: [], origins: [] } });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content.Security.Policy|Refused to (execute|load|apply|connect)/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) =>
        console.error(`Content-Security-Policy violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`),
      );
    });
    for (const path of paths) {
      const response = await page.goto(path);
      expect(response?.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
      // Next's inline bootstrap ran: the router is hydrated. (page.evaluate, not waitForFunction: Playwright's
      // polling evaluates strings in the page, which the CSP rightly reports as eval.)
      await expect.poll(() => page.evaluate(() => typeof (window as { next?: { router?: unknown } }).next?.router === "object")).toBe(true);
    }
    expect(violations).toEqual([]);
    await context.close();
  });
}
