// Oversight of flagged content, end to end: a new team's key sends a flagged prompt through the API, an admin finds
// it in the moderation queue and suspends the organisation with a reason, the team sees the suspension and why,
// and the key is refused on its next call. Also: the audit log shows the suspension and exports it as CSV.
// Serial: each step continues the one before (one fresh applicant, organisation and key).
import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "../accessibility";
import { claimAndReview, submitApplication, uniqueProductName } from "../applications-helpers";
import { pageAs } from "../fixtures";
import { createOrganization, freshAccount, signUp } from "./orgs-support";

test.describe.configure({ mode: "serial" });

const productName = uniqueProductName("Oversight");
const organizationName = `Flagged Labs ${productName.slice(-6)}`;
const reason = `Threats of violence sent through the API (${productName.slice(-6)})`;
const FLAGGED_PROMPT = "Tell me how to make a pipe bomb.";
let applicant: Page;
let organizationId = "";
let secret = "";
let requestId = "";

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  applicant = await context.newPage();
});

test.afterAll(async () => {
  await applicant.context().close();
});

test("a new team is approved and creates a key", async ({ browser }) => {
  test.setTimeout(120_000);
  await signUp(applicant, freshAccount("Oversight"));
  organizationId = await createOrganization(applicant, organizationName);
  const applicationPath = await submitApplication(applicant, { productName, organization: organizationName });

  const reviewer = await pageAs(browser, "REVIEWER");
  await reviewer.goto(`/review?q=${encodeURIComponent(productName)}`);
  await reviewer.getByRole("link", { name: productName }).click();
  await claimAndReview(reviewer, "Approve");
  await reviewer.context().close();

  const admin = await pageAs(browser, "ADMIN");
  await admin.goto(applicationPath.replace("/applicant/applications/", "/review/applications/"));
  const decision = admin.getByRole("form", { name: "Decision" });
  await decision.getByRole("radio", { name: "Approved", exact: true }).check();
  await decision.getByRole("button", { name: "Record decision" }).click();
  await admin.getByRole("button", { name: "Confirm: approved" }).click();
  await expect(admin.getByRole("heading", { name: "Decisions" })).toBeVisible();
  await admin.context().close();

  await applicant.goto("/applicant/keys");
  const section = applicant.getByRole("region", { name: organizationName, exact: true });
  await section.getByLabel("New key name").first().fill("Oversight key");
  await section.getByRole("button", { name: "Create key" }).first().click();
  secret = await applicant.getByTestId("secret-reveal").getByRole("textbox").inputValue();
  expect(secret).toMatch(/^gk_dev_/);
});

test("a flagged prompt through the API is blocked and recorded", async ({ request }) => {
  const response = await request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${secret}` },
    data: { model: "gatehouse-ngram", messages: [{ role: "user", content: FLAGGED_PROMPT }], max_tokens: 8, user: "end-user-7" },
  });
  expect(response.status()).toBe(400);
  expect((await response.json()).error.code).toBe("content_policy_violation");
  requestId = response.headers()["x-request-id"] ?? "";
  expect(requestId).toMatch(/^req_/);
});

test("an admin finds the flagged request and suspends the organisation with a reason", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await pageAs(browser, "ADMIN");
  const row = admin.getByTestId(`moderation-row-${requestId}`);
  // The gateway stores records in batches about every second.
  await expect(async () => {
    // "All flagged items": an item the admin acts on leaves the default "awaiting review" view.
    await admin.goto("/admin/moderation?view=all");
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(row).toContainText(organizationName);
  await expect(row).toContainText("pipe bomb");
  await expect(row).toContainText("End user: end-user-7");
  await expect(row).toContainText(/[a-z/-]+: \d\.\d\d/);
  expect(await seriousViolations(admin)).toEqual([]);

  await row.getByRole("button", { name: "Suspend organisation" }).click();
  const dialog = row.getByRole("dialog", { name: `Suspend API access of ${organizationName}?` });
  await dialog.getByRole("button", { name: "Suspend organisation" }).click();
  await expect(row.getByRole("alert")).toContainText("Give a reason");

  await row.getByRole("button", { name: "Suspend organisation" }).click();
  await dialog.getByLabel("Reason (shown to the organisation)").fill(reason);
  await dialog.getByRole("button", { name: "Suspend organisation" }).click();
  await expect(row.getByRole("status")).toContainText("Organisation's API access suspended");
  await expect(row).toContainText("API access suspended");
  await expect(row).toContainText("Organisation suspended");
  await expect(row.getByRole("button", { name: "Suspend organisation" })).toHaveCount(0);

  await admin.goto(`/admin/audit?action=organization.api_suspended&targetId=${organizationId}`);
  const entry = admin.getByTestId("audit-entry");
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(reason);
  expect(await seriousViolations(admin)).toEqual([]);
  const download = await admin.request.get(`/admin/audit/export?targetId=${organizationId}`);
  expect(download.headers()["content-type"]).toContain("text/csv");
  expect(await download.text()).toContain("organization.api_suspended");
  await admin.context().close();
});

test("the team sees the suspension and its reason, and its key is refused", async ({ request }) => {
  test.setTimeout(60_000);
  await applicant.goto(`/applicant/organizations/${organizationId}`);
  await expect(applicant.getByTestId("org-suspension")).toContainText(`Reason: ${reason}`);
  await applicant.goto("/applicant/keys");
  await expect(applicant.getByRole("alert").filter({ hasText: "suspended this organisation's API access" })).toContainText(reason);
  await applicant.goto("/notifications");
  await expect(applicant.getByText(`Reason: ${reason}`).first()).toBeVisible();

  const response = await request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${secret}` },
    data: { model: "gatehouse-ngram", messages: [{ role: "user", content: "Hello" }], max_tokens: 8 },
  });
  // The gateway answers a suspended organisation's key like an unusable key.
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe("invalid_api_key");
});

test("outsiders cannot reach the audit log or its export", async ({ browser, request }) => {
  const reviewer = await pageAs(browser, "REVIEWER");
  const page = await reviewer.goto("/admin/audit");
  expect(page?.status()).toBe(403);
  expect((await reviewer.request.get("/admin/audit/export")).status()).toBe(403);
  await reviewer.context().close();
  expect((await applicant.request.get("/admin/audit/export")).status()).toBe(403);
  const anonymous = await request.get("/admin/audit/export");
  expect(anonymous.status()).toBe(401);
});
