import { describe, expect, it } from "vitest";
import { listVersionsForStaff } from "@/lib/applications/queries";
import { listRecentAudit } from "@/lib/audit/queries";
import { assertAdmin, assertRole, hasRole, isStaff } from "@/lib/auth/policy";
import { listAllCategories } from "@/lib/categories/queries";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { revokeApiKey } from "@/lib/keys/service";
import { listModerationEvents } from "@/lib/moderation/review-queue";
import { postMessage } from "@/lib/messages/service";
import { listOutboxEmails } from "@/lib/notifications/outbox";
import { listApplicationReviews, listReviewQueue } from "@/lib/reviews/queries";
import { decideApplication } from "@/lib/decisions/service";
import { assignReviewer, claimApplication } from "@/lib/reviews/service";
import { updateReviewSettings } from "@/lib/reviews/settings";
import { getMonthlyUsageByOrganization } from "@/lib/usage/reports";
import { countUsersByRole, listUsers } from "@/lib/users/queries";
import { setUserStatus, type SessionUser } from "@/lib/users/service";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWithGrant, createTestKey } from "@/tests/support/keysui-factories";
import { createSubmittedApplication } from "@/tests/support/review-factories";

async function refusal(run: () => Promise<unknown>): Promise<AppError> {
  const error: unknown = await run().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("the role policy", () => {
  const activeAdmin = { role: "ADMIN", status: "ACTIVE" } as const;
  const suspendedAdmin = { role: "ADMIN", status: "SUSPENDED" } as const;

  it("a suspended account holds no role", () => {
    expect(hasRole(activeAdmin, "ADMIN")).toBe(true);
    expect(hasRole(suspendedAdmin, "ADMIN")).toBe(false);
    expect(isStaff({ role: "REVIEWER", status: "SUSPENDED" })).toBe(false);
    expect(() => assertAdmin(suspendedAdmin, "do this")).toThrow("This account is suspended.");
  });

  it("names the roles that may act", () => {
    expect(() => assertRole({ role: "APPLICANT", status: "ACTIVE" }, ["REVIEWER", "ADMIN"], "review applications")).toThrow(
      "Only reviewers and administrators may review applications.",
    );
    expect(() => assertAdmin({ role: "REVIEWER", status: "ACTIVE" }, "read the audit log")).toThrow("Only administrators may read the audit log.");
  });
});

describe("a suspended admin is refused by every privileged domain function", () => {
  async function suspendedAdmin(): Promise<SessionUser> {
    return createUser({ role: "ADMIN", status: "SUSPENDED" });
  }

  // Each of these checked the role but not the account's status before the policy module.
  const previouslyUnchecked: [string, (actor: SessionUser) => Promise<unknown>][] = [
    ["listUsers", (actor) => listUsers({ actor, input: {} })],
    ["countUsersByRole", (actor) => countUsersByRole({ actor })],
    ["listRecentAudit", (actor) => listRecentAudit({ actor })],
    ["updateReviewSettings", (actor) => updateReviewSettings({ actor, input: { requiredReviewsAccess: 1, requiredReviewsProduction: 1, highRiskThreshold: 4, weakMisusePlanThreshold: 2 } })],
    ["listReviewQueue", (actor) => listReviewQueue({ actor, input: {} })],
  ];

  it.each(previouslyUnchecked)("%s", async (_name, run) => {
    const actor = await suspendedAdmin();
    const error = await refusal(() => run(actor));
    expect(error.kind).toBe("forbidden");
    expect(error.message).toBe("This account is suspended.");
  });

  it("review settings are unchanged after the refusal", async () => {
    const actor = await suspendedAdmin();
    await refusal(() => updateReviewSettings({ actor, input: { requiredReviewsAccess: 5, requiredReviewsProduction: 5, highRiskThreshold: 1, weakMisusePlanThreshold: 5 } }));
    expect(await db.setting.findUnique({ where: { key: "reviews" } })).toBeNull();
  });

  it("reviews, decisions, assignments and versions of an application", async () => {
    const actor = await suspendedAdmin();
    const reviewer = await createUser({ role: "REVIEWER" });
    const application = await createSubmittedApplication();
    const calls: (() => Promise<unknown>)[] = [
      () => assignReviewer({ actor, input: { applicationId: application.id, reviewerId: reviewer.id } }),
      () => claimApplication({ actor, input: { applicationId: application.id } }),
      () => decideApplication({ actor, input: { applicationId: application.id, outcome: "REJECTED", message: "No." } }),
      () => listApplicationReviews({ actor, applicationId: application.id }),
      () => listVersionsForStaff({ actor, applicationId: application.id }),
      () => postMessage({ actor, input: { applicationId: application.id, body: "Internal", isInternal: "on" } }),
    ];
    for (const call of calls) expect((await refusal(call)).kind).toBe("forbidden");
    expect(await db.reviewAssignment.count({ where: { applicationId: application.id } })).toBe(0);
    expect(await db.message.count({ where: { applicationId: application.id } })).toBe(0);
  });

  it("a suspended admin cannot revoke another organisation's key", async () => {
    const actor = await suspendedAdmin();
    const { grant } = await createOrganizationWithGrant();
    const key = await createTestKey({ grantId: grant.id });
    expect((await refusal(() => revokeApiKey({ actor, input: { keyId: key.id, reason: "Leaked" } }))).kind).toBe("forbidden");
    expect(await db.apiKey.findUnique({ where: { id: key.id }, select: { revokedAt: true } })).toEqual({ revokedAt: null });
  });

  it("the admin pages' other reads and writes", async () => {
    const actor = await suspendedAdmin();
    const target = await createUser();
    const calls: (() => Promise<unknown>)[] = [
      () => setUserStatus({ actor, input: { userId: target.id, status: "SUSPENDED" } }),
      () => listAllCategories({ actor }),
      () => listOutboxEmails({ actor, input: {} }),
      () => listModerationEvents({ actor, input: {} }),
      () => getMonthlyUsageByOrganization({ actor }),
    ];
    for (const call of calls) expect((await refusal(call)).message).toBe("This account is suspended.");
  });

  it("an active admin still passes", async () => {
    const actor = await createUser({ role: "ADMIN" });
    await expect(listRecentAudit({ actor })).resolves.toBeInstanceOf(Array);
    await expect(countUsersByRole({ actor })).resolves.toBeInstanceOf(Array);
  });
});
