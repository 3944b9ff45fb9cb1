// Factories for application tests: organisations with members, categories, and complete answers.
import { randomBytes } from "node:crypto";
import { unflattenFormValues } from "@/lib/applications/schema";
import { db } from "@/lib/db";
import type { SessionUser } from "@/lib/users/service";
import { calendarDateIn } from "@/lib/validation";

export async function createOrganizationWith({ owner, members = [] }: { owner: SessionUser; members?: SessionUser[] }) {
  return db.organization.create({
    data: {
      name: `Org ${randomBytes(4).toString("hex")}`,
      memberships: { create: [{ userId: owner.id, role: "OWNER" }, ...members.map((member) => ({ userId: member.id, role: "MEMBER" as const }))] },
    },
    select: { id: true, name: true },
  });
}

export async function createCategory({ status = "SUPPORTED", retired = false }: { status?: "SUPPORTED" | "CASE_BY_CASE" | "NOT_SUPPORTED"; retired?: boolean } = {}) {
  const slug = `cat-${randomBytes(4).toString("hex")}`;
  return db.useCaseCategory.create({
    data: {
      slug,
      name: `Category ${slug}`,
      description: status === "NOT_SUPPORTED" ? "Generating content to influence elections is not supported." : "A test category.",
      status,
      examples: [],
      safeguards: [],
      retiredAt: retired ? new Date() : null,
    },
    select: { id: true, name: true, description: true, status: true },
  });
}

/** A complete set of answers as the form posts them (dotted names, strings), nested as the actions pass them on. */
export function completeInput(applicationId: string, categoryId: string, overrides: Record<string, unknown> = {}) {
  return unflattenFormValues({
    applicationId,
    productName: "Ticket triage",
    description: "Routes support tickets to the right team.",
    categoryId,
    "answers.supportedUseCase": "Classifies incoming tickets into one of eight queues.",
    "answers.openEndedness.outputStyle": "TEMPLATED",
    "answers.openEndedness.promptLength": "About 300 tokens",
    "answers.openEndedness.outputLength": "One label",
    "answers.openEndedness.arbitraryPrompts": "false",
    "answers.risk.harms": "A ticket is misrouted and answered late.",
    "answers.risk.affectedPeople": "Customers waiting for help.",
    "answers.misusePlan.safeguards": ["HUMAN_IN_THE_LOOP", "ACTIVE_MONITORING"],
    "answers.misusePlan.details": "Agents can re-route; we sample 5% of labels weekly.",
    "answers.endUsers.audience": "INTERNAL_STAFF",
    "answers.endUsers.authenticated": "true",
    "answers.endUsers.expectedUsers": "40",
    "answers.endUsers.minorsPossible": "false",
    "answers.expectedVolume": "10,000 requests a month",
    "answers.goLiveDate": calendarDateIn(180),
    ...overrides,
  });
}
