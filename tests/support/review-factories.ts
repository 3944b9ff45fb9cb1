// Factories for review tests: an organisation with a member, and submitted applications with a version.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Scores } from "@/lib/reviews/schema";
import type { SessionUser } from "@/lib/users/service";
import { calendarDateIn } from "@/lib/validation";
import { createUser } from "./factories";

export const sampleAnswers = {
  supportedUseCase: "Drafts replies to customer-support tickets about our own product.",
  openEndedness: "Replies are short and grounded in the ticket; end users never write prompts.",
  risk: "A wrong answer could mislead a customer; agents check every draft.",
  misusePlan: { safeguards: ["HUMAN_IN_THE_LOOP", "CONTENT_FILTERING"], details: "Agents approve each reply." },
  endUsers: { audience: "INTERNAL_STAFF", authenticated: true, expectedUsers: 25, minorsPossible: false },
  expectedVolume: "About 2,000 requests a month.",
  goLiveDate: calendarDateIn(90),
};

export async function createOrganization({ owner, name }: { owner?: SessionUser; name?: string } = {}) {
  const member = owner ?? (await createUser());
  const organization = await db.organization.create({
    data: { name: name ?? `Org ${randomBytes(3).toString("hex")}`, memberships: { create: { userId: member.id, role: "OWNER" } } },
  });
  return { organization, owner: member };
}

export async function createSubmittedApplication({
  organizationId,
  createdById,
  stage = "ACCESS",
  track = "STANDARD",
  status = "SUBMITTED",
  productName = `Product ${randomBytes(3).toString("hex")}`,
  categorySlug,
  priority = 0,
  submittedAt = new Date(),
}: {
  organizationId?: string;
  createdById?: string;
  stage?: "ACCESS" | "PRODUCTION";
  track?: "STANDARD" | "ACADEMIC";
  status?: "SUBMITTED" | "IN_REVIEW" | "DRAFT" | "APPROVED" | "CHANGES_REQUESTED" | "REJECTED";
  productName?: string;
  categorySlug?: string;
  priority?: number;
  submittedAt?: Date;
} = {}) {
  let orgId = organizationId;
  let creatorId = createdById;
  if (!orgId || !creatorId) {
    const { organization, owner } = await createOrganization();
    orgId ??= organization.id;
    creatorId ??= owner.id;
  }
  const category = categorySlug
    ? await db.useCaseCategory.upsert({
        where: { slug: categorySlug },
        create: { slug: categorySlug, name: categorySlug, description: "Test category", status: "SUPPORTED" },
        update: {},
      })
    : null;
  return db.application.create({
    data: {
      organizationId: orgId,
      createdById: creatorId,
      stage,
      track,
      status,
      productName,
      description: "A test application.",
      answers: sampleAnswers,
      categoryId: category?.id,
      priority,
      currentVersion: status === "DRAFT" ? 0 : 1,
      submittedAt: status === "DRAFT" ? null : submittedAt,
      versions: status === "DRAFT" ? undefined : { create: { version: 1, submittedById: creatorId, snapshot: { productName, answers: sampleAnswers } as Prisma.InputJsonValue } },
      events: { create: [{ type: "drafted", actorId: creatorId }, ...(status === "DRAFT" ? [] : [{ type: "submitted", actorId: creatorId }])] },
    },
  });
}

/** Five scores (notes filled in, so extremes validate); override any question's score. */
export function scoresWith(overrides: Partial<Record<keyof Scores, number>> = {}): Scores {
  const base = { supportedUseCase: 4, openEndedness: 4, risk: 2, misusePlan: 4, endUsers: 4, ...overrides };
  return Object.fromEntries(Object.entries(base).map(([key, score]) => [key, { score, confidence: "MEDIUM", note: `Score ${score} because the answer says so.` }])) as Scores;
}
