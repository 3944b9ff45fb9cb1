// Demo data: three accounts whose credentials the README lists, and the use-case categories.
// Seeded on the first start of an empty embedded database and by `npm run db:seed`; never unasked in production.
import { hashPassword } from "@/lib/auth/password";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { createKeyUnderGrant, issueKeyGrant } from "@/lib/keys/service";
import { demoAccounts } from "./demo-accounts";

export { demoAccounts };


type CategorySeed = {
  slug: string;
  name: string;
  status: "SUPPORTED" | "CASE_BY_CASE" | "NOT_SUPPORTED";
  description: string;
  examples: string[];
  safeguards: string[];
};

export const demoCategories: CategorySeed[] = [
  {
    slug: "copywriting",
    name: "Copywriting aid",
    status: "SUPPORTED",
    description: "Drafts of marketing copy, product descriptions and headlines that a person edits before publishing.",
    examples: ["Product description drafts from a spec sheet", "Subject-line suggestions for newsletters"],
    safeguards: ["Human review before publication", "Output length limits"],
  },
  {
    slug: "customer-support",
    name: "Customer-support drafting",
    status: "SUPPORTED",
    description: "Suggested replies to support tickets, sent only after an agent reviews them.",
    examples: ["Reply drafts in a help-desk tool", "Summaries of long ticket threads for agents"],
    safeguards: ["Human in the loop", "Topic restriction to the product", "Content filtering"],
  },
  {
    slug: "classification",
    name: "Classification and extraction",
    status: "SUPPORTED",
    description: "Labelling, routing and extracting fields from text, with constrained outputs.",
    examples: ["Routing emails to departments", "Extracting invoice fields"],
    safeguards: ["Templated outputs", "Active monitoring"],
  },
  {
    slug: "search-qa",
    name: "Search and Q&A over your own documents",
    status: "SUPPORTED",
    description: "Answers grounded in the organisation's own documentation, with sources shown.",
    examples: ["Internal wiki assistant", "Product documentation Q&A"],
    safeguards: ["End-user authentication", "Topic restriction", "Per-user rate limits"],
  },
  {
    slug: "education",
    name: "Education",
    status: "SUPPORTED",
    description: "Tutoring, practice questions and explanations, with care where minors may be users.",
    examples: ["Practice-question generator for teachers", "Reading-comprehension helper"],
    safeguards: ["Content filtering (strict)", "Teacher oversight", "Age-appropriate topic limits"],
  },
  {
    slug: "code-assistance",
    name: "Code assistance",
    status: "SUPPORTED",
    description: "Code completion, explanation and review suggestions for developers.",
    examples: ["IDE completion", "Explaining a stack trace"],
    safeguards: ["End-user authentication", "Output length limits"],
  },
  {
    slug: "open-ended-chatbot",
    name: "Open-ended chatbot for the public",
    status: "CASE_BY_CASE",
    description: "Free-form conversation with anonymous members of the public. Reviewed case by case because outputs are unconstrained.",
    examples: ["General-purpose companion chat", "Public Q&A bot without topic limits"],
    safeguards: ["End-user identifiers and per-user limits", "Strict content filtering", "Active monitoring", "Abuse reporting"],
  },
  {
    slug: "political-persuasion",
    name: "Political persuasion",
    status: "NOT_SUPPORTED",
    description: "Generating content to influence political views or elections. Not supported.",
    examples: ["Targeted campaign messaging", "Mass-produced opinion pieces"],
    safeguards: [],
  },
];

export const demoOrganization = { name: "Demo Labs", website: "https://demo-labs.example", description: "A demo team building a support-reply assistant." };

export interface SeedResult {
  accounts: number;
  categories: number;
  /** The demo development key's secret, only when this run created it (printed once, never stored). */
  demoKeySecret?: string;
}

export async function seedDemoData(db: PrismaClient): Promise<SeedResult> {
  for (const account of demoAccounts) {
    const passwordHash = await hashPassword(account.password);
    await db.user.upsert({
      where: { email: account.email },
      create: { email: account.email, name: account.name, role: account.role, passwordHash },
      update: {},
    });
  }
  for (const [position, category] of demoCategories.entries()) {
    await db.useCaseCategory.upsert({ where: { slug: category.slug }, create: { ...category, position }, update: {} });
  }
  const demoKeySecret = await seedDemoAccess(db);
  return { accounts: demoAccounts.length, categories: demoCategories.length, demoKeySecret };
}

/** The demo applicant's organisation with an approved access request and one development key. */
async function seedDemoAccess(db: PrismaClient): Promise<string | undefined> {
  const applicant = await db.user.findUniqueOrThrow({ where: { email: "applicant@gatehouse.test" }, select: { id: true } });
  const existing = await db.membership.findFirst({ where: { userId: applicant.id, organization: { name: demoOrganization.name } } });
  if (existing) return undefined;
  const category = await db.useCaseCategory.findUniqueOrThrow({ where: { slug: "customer-support" }, select: { id: true } });
  return db.$transaction(async (tx) => {
    const organization = await tx.organization.create({
      data: { ...demoOrganization, memberships: { create: { userId: applicant.id, role: "OWNER" } } },
    });
    const now = new Date();
    const application = await tx.application.create({
      data: {
        organizationId: organization.id,
        createdById: applicant.id,
        categoryId: category.id,
        status: "APPROVED",
        productName: "Support reply drafts",
        description: "Suggests replies to customer-support tickets; an agent edits and sends every reply.",
        answers: demoAnswers,
        currentVersion: 1,
        submittedAt: now,
        decidedAt: now,
        versions: {
          create: {
            version: 1,
            submittedById: applicant.id,
            snapshot: {
              productName: "Support reply drafts",
              description: "Suggests replies to customer-support tickets; an agent edits and sends every reply.",
              track: "STANDARD",
              stage: "ACCESS",
              category: { id: category.id, name: "Customer-support drafting" },
              answers: demoAnswers,
              academic: null,
            },
          },
        },
        events: { create: [{ type: "drafted", actorId: applicant.id }, { type: "submitted", actorId: applicant.id }, { type: "approved" }] },
      },
    });
    const grant = await issueKeyGrant(
      { organizationId: organization.id, applicationId: application.id, kind: "DEVELOPMENT", scopes: defaultDevelopmentScopes, actorId: null },
      tx,
    );
    const key = await createKeyUnderGrant({ grantId: grant.id, name: "Demo development key", createdById: applicant.id }, tx);
    return key.secret;
  });
}

// The shape of lib/applications/schema.ts answersSchema.
export const demoAnswers = {
  supportedUseCase: "Drafts replies to customer-support tickets about our own product; fits customer-support drafting.",
  openEndedness: {
    outputStyle: "CONSTRAINED",
    promptLength: "About 500 tokens (the ticket thread)",
    outputLength: "Under 200 words",
    arbitraryPrompts: false,
    details: "Replies are grounded in the ticket; end users never write prompts.",
  },
  risk: {
    sensitiveDomains: [],
    harms: "A wrong answer could mislead a customer.",
    affectedPeople: "Customers who receive a reply; agents check every draft.",
  },
  misusePlan: { safeguards: ["HUMAN_IN_THE_LOOP", "END_USER_AUTH", "CONTENT_FILTERING", "OUTPUT_LENGTH_LIMITS"], details: "Agents approve each reply; outputs are filtered and capped." },
  endUsers: { audience: "INTERNAL_STAFF", authenticated: true, expectedUsers: 25, minorsPossible: false },
  expectedVolume: "About 2,000 requests a month.",
  goLiveDate: "2027-03-01",
};
