// Key journeys on the demo organisation "Demo Labs" (the only organisation with an approval on this branch).
// Serial: the organisation-suspension test would otherwise hide the Rotate button from the lifecycle test.
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { pageAs } from "../fixtures";

test.describe.configure({ mode: "serial" });

const suffix = () => randomBytes(3).toString("hex");

/** Creates a key on the applicant's keys page and returns its secret (shown once) and display prefix. */
async function createKey(page: Page, name: string): Promise<{ secret: string; prefix: string }> {
  await page.goto("/applicant/keys");
  await page.getByLabel("New key name").first().fill(name);
  await page.getByRole("button", { name: "Create key" }).first().click();
  const reveal = page.getByTestId("secret-reveal");
  await expect(reveal).toContainText("you won't see it again");
  const secret = await reveal.getByRole("textbox").inputValue();
  expect(secret).toMatch(/^gk_dev_[A-Za-z0-9_-]{43}$/);
  return { secret, prefix: secret.slice(0, 11) };
}

test("an applicant creates a key, sees the secret once, renames, rotates with grace and revokes it", async ({ browser }) => {
  const page = await pageAs(browser, "APPLICANT");
  await page.goto("/applicant/keys");
  await expect(page.getByRole("heading", { name: "Demo Labs" })).toBeVisible();
  // One line per grant: other specs may have approved more of Demo Labs' applications by now.
  await expect(page.getByText("Monthly token quota:").first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "Demo development key", exact: true })).toBeVisible();

  const name = `E2E key ${suffix()}`;
  const { secret, prefix } = await createKey(page, name);
  const row = page.getByTestId(`key-row-${prefix}`);
  await expect(row).toContainText(name);
  await expect(row).toContainText("Active");

  await page.reload();
  await expect(page.getByTestId("secret-reveal")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  await expect(row).toBeVisible();

  const renamed = `${name} renamed`;
  await row.getByRole("button", { name: `Rename ${name}` }).click();
  await row.getByLabel(`New name for ${name}`).fill(renamed);
  await row.getByRole("button", { name: "Save name" }).click();
  await expect(row.getByRole("cell", { name: renamed, exact: true })).toBeVisible();

  await row.getByRole("button", { name: "Rotate" }).click();
  const rotateDialog = row.getByRole("dialog", { name: `Rotate “${renamed}”?` });
  await rotateDialog.getByLabel("Grace period for the old secret").selectOption("4");
  await rotateDialog.getByRole("button", { name: "Rotate key" }).click();
  await expect(row).toContainText("In grace until");
  const newSecret = await row.getByTestId("secret-reveal").getByRole("textbox").inputValue();
  expect(newSecret).not.toBe(secret);
  const newRow = page.getByTestId(`key-row-${newSecret.slice(0, 11)}`);
  await expect(newRow).toContainText(renamed);
  await expect(newRow).toContainText("Active");

  await newRow.getByRole("button", { name: "Revoke" }).click();
  const revokeDialog = newRow.getByRole("dialog", { name: `Revoke “${renamed}”?` });
  await expect(revokeDialog).toContainText("cannot be undone");
  await revokeDialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(newRow).toContainText("Revoked: Revoked by its owners.");
  await page.context().close();
});

test("an admin suspends, reinstates and revokes another team's key with a reason the applicant sees", async ({ browser }) => {
  const applicant = await pageAs(browser, "APPLICANT");
  const { prefix } = await createKey(applicant, `Admin target ${suffix()}`);

  const admin = await pageAs(browser, "ADMIN");
  await admin.goto(`/admin/keys?q=${encodeURIComponent(prefix)}`);
  const row = admin.getByTestId(`admin-key-row-${prefix}`);
  await expect(row).toContainText("Demo Labs");
  await expect(row).toContainText("Active");

  const suspension = `Unusual traffic under review (${suffix()})`;
  await row.getByRole("button", { name: "Suspend" }).click();
  const suspendDialog = row.getByRole("dialog");
  await suspendDialog.getByLabel("Reason (optional, shown to the key's owners)").fill(suspension);
  await suspendDialog.getByRole("button", { name: "Suspend key" }).click();
  await expect(row).toContainText("Suspended by an administrator");
  await applicant.goto("/applicant/keys");
  await expect(applicant.getByTestId(`key-row-${prefix}`)).toContainText("Suspended by an administrator");
  await expect(applicant.getByTestId(`key-row-${prefix}`)).toContainText(`Reason: ${suspension}`);
  await row.getByRole("button", { name: /^Reinstate/ }).click();
  await expect(row).toContainText("Active");

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row.getByRole("alert")).toContainText("Give a reason");
  await expect(row).toContainText("Active");

  const reason = `Leaked in a public repository (${suffix()})`;
  await row.getByRole("button", { name: "Revoke" }).click();
  const dialog = row.getByRole("dialog");
  await dialog.getByLabel("Reason (shown to the key's owners)").fill(reason);
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText(`Revoked: ${reason}`);

  await applicant.goto("/applicant/keys");
  await expect(applicant.getByTestId(`key-row-${prefix}`)).toContainText(`Revoked: ${reason}`);
  await applicant.context().close();
  await admin.context().close();
});

test("an admin suspends an organisation's API access, the applicant is told, and the admin reinstates it", async ({ browser }) => {
  const admin = await pageAs(browser, "ADMIN");
  await admin.goto(`/admin/keys?org=${encodeURIComponent("Demo Labs")}`);
  const orgRow = admin.getByTestId("admin-org-row-Demo Labs");
  await expect(orgRow).toContainText("Active");
  const reason = `Terms review in progress (${suffix()})`;
  await orgRow.getByRole("button", { name: "Suspend API access" }).click();
  const dialog = orgRow.getByRole("dialog", { name: "Suspend API access of Demo Labs?" });
  await dialog.getByLabel("Reason (optional, shown to the organisation's members)").fill(reason);
  await dialog.getByRole("button", { name: "Suspend access" }).click();
  await expect(orgRow).toContainText("Suspended since");

  const applicant = await pageAs(browser, "APPLICANT");
  await applicant.goto("/applicant/keys");
  const notice = applicant.getByRole("alert").filter({ hasText: "suspended this organisation's API access" });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(`Reason: ${reason}`);
  await expect(applicant.getByRole("row", { name: /Demo development key/ })).toContainText("Suspended (organisation's API access is suspended)");

  await orgRow.getByRole("button", { name: "Reinstate API access of Demo Labs" }).click();
  await expect(orgRow).toContainText("Active");
  await applicant.reload();
  await expect(applicant.getByRole("row", { name: /Demo development key/ })).toContainText("Active");
  await applicant.context().close();
  await admin.context().close();
});
