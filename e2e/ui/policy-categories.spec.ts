import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";

test.describe("public policy", () => {
  test("lists the categories with their statuses, linked from the landing page", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "Read the use-case policy" }).click();
    await expect(page.getByRole("heading", { name: "Use-case policy", level: 1 })).toBeVisible();
    await expect(page.getByTestId("policy-customer-support")).toContainText("Customer-support drafting");
    await expect(page.getByTestId("policy-customer-support")).toContainText("Supported");
    await expect(page.getByTestId("policy-customer-support")).toContainText("Human in the loop");
    await expect(page.getByTestId("policy-open-ended-chatbot")).toContainText("Case by case");
    await expect(page.getByTestId("policy-political-persuasion")).toContainText("Not supported");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Use-case policy" })).toBeVisible();
  });
});

test.describe("admin categories", () => {
  test.use({ storageState: storageStateFor("ADMIN") });

  test("an admin creates, edits, reorders and retires a category, and the policy follows", async ({ page }) => {
    test.setTimeout(90_000);
    const slug = `e2e-${randomBytes(3).toString("hex")}`;
    const name = `Meeting notes ${slug}`;
    await page.goto("/admin");
    await page.getByRole("link", { name: "Use-case categories" }).click();
    await page.getByRole("link", { name: "New category" }).click();

    // Validation messages first.
    await page.getByRole("button", { name: "Create category" }).click();
    await expect(page.getByText("Enter a name.")).toBeVisible();
    await expect(page.getByText("Choose whether this use case is supported.")).toBeVisible();
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Slug").fill("customer-support");
    await page.getByLabel("Status").selectOption({ label: "case by case" });
    await page.getByLabel("Description").fill("Summaries of internal meetings.");
    await page.getByLabel("Examples").fill("Summarise a transcript\nList action items");
    await page.getByLabel("Safeguards reviewers expect").fill("Human review");
    await page.getByRole("button", { name: "Create category" }).click();
    await expect(page.getByText("Another category already uses this slug. Choose another.")).toBeVisible();
    await expect(page.getByLabel("Name")).toHaveValue(name);
    await page.getByLabel("Slug").fill(slug);
    await page.getByRole("button", { name: "Create category" }).click();
    await expect(page.getByText("Category created.")).toBeVisible();
    const row = page.getByTestId(`category-row-${slug}`);
    await expect(row).toContainText("Case by case");

    // Edit.
    await row.getByRole("link", { name: `Edit ${name}` }).click();
    const renamed = `${name} (edited)`;
    await page.getByLabel("Name").fill(renamed);
    await page.getByLabel("Status").selectOption({ label: "supported" });
    await page.getByRole("button", { name: "Save category" }).click();
    await expect(page.getByText(`Saved “${renamed}”.`)).toBeVisible();

    // Default scopes.
    await page.getByLabel("Requests per minute", { exact: true }).fill("0");
    await page.getByRole("button", { name: "Save default scopes" }).click();
    await expect(page.getByText("Requests per minute must be at least 1.")).toBeVisible();
    await page.getByLabel("Requests per minute", { exact: true }).fill("30");
    await page.getByRole("button", { name: "Save default scopes" }).click();
    await expect(page.getByText("Default key scopes saved.")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Requests per minute", { exact: true })).toHaveValue("30");

    // Reorder: it was created last; moving it up puts it before the previous last one (keyboard operable buttons).
    await page.goto("/admin/categories");
    const slugs = async (selector: string, attribute: string) =>
      page.locator(selector).evaluateAll((elements, name) => elements.map((element) => element.getAttribute(name) ?? ""), attribute);
    const before = await slugs("[data-testid^=category-row-]", "data-testid");
    expect(before.at(-1)).toBe(`category-row-${slug}`);
    const previous = before.at(-2) ?? "";
    const moveUp = page.getByRole("button", { name: `Move ${renamed} up` });
    await moveUp.focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await slugs("[data-testid^=category-row-]", "data-testid")).at(-1)).toBe(previous);
    await page.goto("/policy");
    const policyOrder = await slugs("[data-testid^=policy-]", "data-testid");
    expect(policyOrder.indexOf(`policy-${slug}`)).toBeGreaterThanOrEqual(0);
    // The seeded last category (political persuasion) is active, so both appear on the policy, now swapped.
    const previousSlug = previous.replace("category-row-", "");
    expect(policyOrder.indexOf(`policy-${previousSlug}`)).toBeGreaterThan(policyOrder.indexOf(`policy-${slug}`));
    await expect(page.getByTestId(`policy-${slug}`)).toContainText(renamed);
    await expect(page.getByTestId(`policy-${slug}`)).toContainText("Supported");

    // Retire: hidden from the policy, shown as retired to admins; then unretire.
    await page.goto("/admin/categories");
    await row.getByRole("button", { name: "Retire" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Retire category" }).click();
    await expect(row).toContainText("Retired");
    await page.goto("/policy");
    await expect(page.getByTestId(`policy-${slug}`)).toHaveCount(0);
    await page.goto("/admin/categories");
    await row.getByRole("button", { name: `Unretire ${renamed}` }).click();
    await expect(row).not.toContainText("Retired");
    await page.goto("/policy");
    await expect(page.getByTestId(`policy-${slug}`)).toBeVisible();
  });

  test("an admin reads the outbox", async ({ page }) => {
    await page.goto("/admin/outbox");
    await expect(page.getByRole("heading", { name: "Email outbox" })).toBeVisible();
    await expect(page.getByText(/No SMTP_URL is configured/)).toBeVisible();
  });
});

for (const role of ["APPLICANT", "REVIEWER"] as const) {
  test.describe(`a ${role.toLowerCase()}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("gets 403 on the admin's category and outbox pages", async ({ page }) => {
      for (const path of ["/admin/categories", "/admin/categories/new", "/admin/outbox"]) {
        const response = await page.goto(path);
        expect(response?.status()).toBe(403);
        await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
      }
    });
  });
}
