// The review queue's search language: fields, OR/NOT and parentheses, the documented syntax and a clear error.
import { expect, test } from "@playwright/test";
import { seriousViolations } from "../accessibility";
import { storageStateFor } from "../fixtures";

test.use({ storageState: storageStateFor("ADMIN") });

test("staff search the queue with fields and operators, read the syntax on the page, and are told what is wrong with a bad query", async ({ page }) => {
  test.setTimeout(90_000);
  const rows = page.getByTestId("queue-row");
  const search = async (query: string) => {
    await page.goto("/review");
    await page.getByLabel("Search").fill(query);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/q=/);
  };

  await search('org:"Northwind Health" age:>3d');
  await expect(rows.filter({ hasText: "Patient FAQ assistant" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Product description drafts" })).toHaveCount(0);

  await search("(org:kestrel OR org:northwind) NOT track:academic");
  await expect(rows.filter({ hasText: "Patient FAQ assistant" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Product description drafts" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Dialect fairness audit of text classifiers" })).toHaveCount(0);

  await search('org:"Northwind');
  const error = page.getByRole("alert").filter({ hasText: "The search could not be read" });
  await expect(error).toContainText("This quote is never closed");
  await expect(error).toContainText("at column 5");
  await expect(page.getByLabel("Search")).toHaveAttribute("aria-invalid", "true");
  await expect(rows).toHaveCount(0);

  await page.getByText("Search syntax").click();
  await expect(page.getByText("risk:>=4, misuse:<=2")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
