import { expect, test } from "@playwright/test";
import { storageStateFor } from "../fixtures";
import { completeSignUp, createInvitationLink, createOrganization, freshAccount, signUp } from "./orgs-support";

// Each journey signs up several fresh accounts (argon2 hashing) on a busy machine.
test.describe.configure({ timeout: 120_000 });

test("an owner invites a teammate who signs up through the link, joins, and the owner is notified", async ({ page, browser }) => {
  const baseURL = test.info().project.use.baseURL;
  const owner = freshAccount("Owner");
  const teammate = freshAccount("Teammate");
  const orgName = `Team ${owner.name}`;

  await signUp(page, owner);
  await expect(page.getByRole("link", { name: "Create an organisation" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifications (0)" })).toBeVisible();
  const orgId = await createOrganization(page, orgName);
  await expect(page.getByTestId(`member-row-${owner.email}`)).toContainText("Owner");
  const link = await createInvitationLink(page);
  await expect(page.getByTestId("pending-invitation")).toHaveCount(1);

  // The teammate opens the link in another browser, anonymous: sign-up returns to the invitation.
  const teammateContext = await browser.newContext({ baseURL });
  const teammatePage = await teammateContext.newPage();
  await teammatePage.goto(link);
  await expect(teammatePage.getByRole("heading", { name: `Join ${orgName}` })).toBeVisible();
  await teammatePage.getByRole("link", { name: "Create an account" }).click();
  await completeSignUp(teammatePage, teammate);
  await expect(teammatePage).toHaveURL(/\/invitations\//);
  await teammatePage.getByRole("button", { name: `Accept and join ${orgName}` }).click();
  await expect(teammatePage.getByRole("heading", { name: orgName, level: 1 })).toBeVisible();
  await expect(teammatePage.getByText(`Welcome to ${orgName}.`)).toBeVisible();
  await expect(teammatePage.getByTestId(`member-row-${teammate.email}`)).toContainText("Member");
  await teammatePage.goto("/applicant");
  await expect(teammatePage.getByRole("link", { name: orgName })).toBeVisible();

  // The link is single-use.
  await teammatePage.goto(link);
  await expect(teammatePage.getByText("This invitation link has already been used.")).toBeVisible();
  await teammateContext.close();

  // The owner sees the notification, follows it, and marks it read.
  await page.goto("/applicant");
  await expect(page.getByRole("link", { name: "Notifications (1)" })).toBeVisible();
  await page.getByRole("link", { name: "Notifications (1)" }).click();
  const notification = page.getByTestId("notification").filter({ hasText: `${teammate.name} joined ${orgName}` });
  await expect(notification).toContainText("Unread");
  await notification.getByRole("button", { name: /Mark .* as read/ }).click();
  await expect(page.getByRole("link", { name: "Notifications (0)" })).toBeVisible();
  await expect(notification).not.toContainText("Unread");
  await notification.getByRole("link", { name: `${teammate.name} joined ${orgName}` }).click();
  await expect(page).toHaveURL(new RegExp(`/applicant/organizations/${orgId}$`));
  await expect(page.getByTestId(`member-row-${teammate.email}`)).toBeVisible();
  await expect(page.getByTestId("pending-invitation")).toHaveCount(0);

  // Without SMTP the notification email is kept in the admins' outbox.
  const adminContext = await browser.newContext({ baseURL, storageState: storageStateFor("ADMIN") });
  const adminPage = await adminContext.newPage();
  await adminPage.goto("/admin/outbox");
  const row = adminPage.getByTestId("outbox-row").filter({ hasText: owner.email });
  await expect(row).toContainText(`[Gatehouse] ${teammate.name} joined ${orgName}`);
  await expect(row).toContainText("Kept");
  await row.getByRole("link").click();
  await expect(adminPage.getByText(`${teammate.name} (${teammate.email}) accepted an invitation`)).toBeVisible();
  await adminContext.close();
});

test("a non-member gets 404 on an organisation's page", async ({ page, browser }) => {
  const baseURL = test.info().project.use.baseURL;
  const owner = freshAccount("Owner");
  await signUp(page, owner);
  const orgId = await createOrganization(page, `Private ${owner.name}`);

  const outsiderContext = await browser.newContext({ baseURL });
  const outsiderPage = await outsiderContext.newPage();
  await signUp(outsiderPage, freshAccount("Outsider"));
  const response = await outsiderPage.goto(`/applicant/organizations/${orgId}`);
  expect(response?.status()).toBe(404);
  await expect(outsiderPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(outsiderPage.getByText(`Private ${owner.name}`)).toHaveCount(0);
  await outsiderContext.close();
});

test("owners manage invitations and members; the last owner cannot leave", async ({ page, browser }) => {
  const baseURL = test.info().project.use.baseURL;
  const owner = freshAccount("Owner");
  const bound = freshAccount("Bound");
  const stranger = freshAccount("Stranger");
  await signUp(page, owner);
  const orgName = `Managed ${owner.name}`;
  await createOrganization(page, orgName);

  // A revoked link explains itself.
  const revokedLink = await createInvitationLink(page);
  await page.getByTestId("pending-invitation").getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke invitation" }).click();
  await expect(page.getByTestId("pending-invitation")).toHaveCount(0);

  // An email-bound link refuses another account.
  await page.reload();
  const boundLink = await createInvitationLink(page, { email: bound.email, role: "Owner" });
  const otherContext = await browser.newContext({ baseURL });
  const otherPage = await otherContext.newPage();
  await otherPage.goto(revokedLink);
  await expect(otherPage.getByText("This invitation link was revoked")).toBeVisible();
  await signUp(otherPage, stranger);
  await otherPage.goto(boundLink);
  await expect(otherPage.getByText(`This invitation is for ${bound.email}, but you are signed in as ${stranger.email}.`)).toBeVisible();
  await expect(otherPage.getByRole("button", { name: /Accept/ })).toHaveCount(0);
  await otherContext.close();

  // The invited account accepts as an owner.
  const boundContext = await browser.newContext({ baseURL });
  const boundPage = await boundContext.newPage();
  await signUp(boundPage, bound);
  await boundPage.goto(boundLink);
  await boundPage.getByRole("button", { name: `Accept and join ${orgName}` }).click();
  await expect(boundPage.getByTestId(`member-row-${bound.email}`)).toContainText("Owner");
  await boundContext.close();

  // The first owner demotes and then removes the second; then, as the last owner, cannot leave.
  await page.reload();
  const boundRow = page.getByTestId(`member-row-${bound.email}`);
  await boundRow.getByRole("button", { name: `Make member: ${bound.email}` }).click();
  await expect(boundRow).toContainText("Role changed to member.");
  await expect(boundRow.getByText("Member", { exact: true })).toBeVisible();
  await boundRow.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByTestId(`member-row-${bound.email}`)).toHaveCount(0);

  await page.getByRole("button", { name: "Leave organisation" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Leave" }).click();
  await expect(page.getByText("An organisation must keep at least one owner.")).toBeVisible();
});
