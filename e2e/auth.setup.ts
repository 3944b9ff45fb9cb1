// Signs in once per demo role and keeps the session for the ui specs.
import { expect, test as setup } from "@playwright/test";
import { demoAccounts } from "../prisma/demo-accounts";
import { storageStateFor } from "./fixtures";

for (const account of demoAccounts) {
  setup(`sign in as the demo ${account.role.toLowerCase()}`, async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("link", { name: new RegExp(account.name) })).toBeVisible();
    await page.context().storageState({ path: storageStateFor(account.role) });
  });
}
