// Demo data: three accounts whose credentials the README lists, and the use-case categories.
// Seeded on the first start of an empty embedded database and by `npm run db:seed`; never unasked in production.
import { randomBytes } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { createKeyUnderGrant, issueKeyGrant } from "@/lib/keys/service";
import { calendarDateIn } from "@/lib/validation";
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
  await seedDemoQueue(db);
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
  goLiveDate: calendarDateIn(90),
};

// ---------------------------------------------------------------------------------------------------------------
// The review queue a newcomer finds: a few submitted applications of demo organisations in various categories.

type QueueSeed = {
  organization: { name: string; website: string; description: string; ownerEmail: string; ownerName: string };
  categorySlug: string;
  stage: "ACCESS" | "PRODUCTION";
  track: "STANDARD" | "ACADEMIC";
  priority: number;
  daysAgo: number;
  productName: string;
  description: string;
  answers: Record<string, unknown>;
  academic?: Record<string, unknown>;
};

/** Queue order: academic fairness and representation research is reviewed first. */
const ACADEMIC_FAIRNESS_PRIORITY = 10;

const demoQueue: QueueSeed[] = [
  {
    organization: { name: "Aberdyfi University Speech Lab", website: "https://speech-lab.aberdyfi.example", description: "A university research group on language technology for minority languages.", ownerEmail: "researcher@aberdyfi.example", ownerName: "Dr Catrin Evans" },
    categorySlug: "classification",
    stage: "ACCESS",
    track: "ACADEMIC",
    priority: ACADEMIC_FAIRNESS_PRIORITY,
    daysAgo: 1,
    productName: "Dialect fairness audit of text classifiers",
    description: "Measures whether topic and sentiment labels differ for the same content written in regional dialects of Welsh and English.",
    academic: { institution: "Aberdyfi University", researchQuestion: "Do classifiers label dialectal text differently from standard text of the same meaning?", focusArea: "FAIRNESS_REPRESENTATION", ethicsApproval: "APPROVED" },
    answers: {
      supportedUseCase: "Classification of short research texts into topic and sentiment labels; fits classification and extraction.",
      openEndedness: { outputStyle: "TEMPLATED", promptLength: "Under 200 tokens", outputLength: "One label", arbitraryPrompts: false, details: "Fixed label sets; prompts are templated by the research team; no public users." },
      risk: { sensitiveDomains: [], harms: "Results are published in aggregate; no decisions about individuals.", affectedPeople: "Speakers of the studied dialects, if findings were misreported. Texts are synthetic or consented." },
      misusePlan: { safeguards: ["END_USER_AUTH", "ACTIVE_MONITORING"], details: "Only three named researchers hold keys; outputs are stored for the audit only." },
      endUsers: { audience: "INTERNAL_STAFF", authenticated: true, expectedUsers: 3, minorsPossible: false },
      expectedVolume: "About 40,000 requests over three months.",
      goLiveDate: calendarDateIn(45),
    },
  },
  {
    organization: { name: "Northwind Health", website: "https://northwind-health.example", description: "A clinic network piloting patient communication tools.", ownerEmail: "it@northwind-health.example", ownerName: "Sam Patel" },
    categorySlug: "open-ended-chatbot",
    stage: "ACCESS",
    track: "STANDARD",
    priority: 0,
    daysAgo: 6,
    productName: "Patient FAQ assistant",
    description: "Answers patients' questions about opening hours, appointments and preparing for visits on the public website.",
    answers: {
      supportedUseCase: "A public chatbot for clinic logistics; we understand open-ended chat is reviewed case by case.",
      openEndedness: { outputStyle: "FREE_FORM", promptLength: "Up to 500 tokens", outputLength: "Up to 300 words", arbitraryPrompts: true, details: "Patients type free text; we plan a system prompt limiting answers to logistics." },
      risk: { sensitiveDomains: ["HEALTH", "MINORS"], harms: "Patients may ask medical questions; a wrong answer could delay care. We will show a disclaimer.", affectedPeople: "Patients, including minors, using the public website." },
      misusePlan: { safeguards: ["CONTENT_FILTERING"], details: "We will read a sample of conversations monthly." },
      endUsers: { audience: "PUBLIC", authenticated: false, expectedUsers: 5000, minorsPossible: true },
      expectedVolume: "Up to 30,000 requests a month.",
      goLiveDate: calendarDateIn(60),
    },
  },
  {
    organization: { name: "Kestrel Outfitters", website: "https://kestrel-outfitters.example", description: "An outdoor-gear shop with a small e-commerce team.", ownerEmail: "web@kestrel-outfitters.example", ownerName: "Jo Lindqvist" },
    categorySlug: "copywriting",
    stage: "ACCESS",
    track: "STANDARD",
    priority: 0,
    daysAgo: 3,
    productName: "Product description drafts",
    description: "Drafts product descriptions from supplier spec sheets; an editor rewrites each one before it is published.",
    answers: {
      supportedUseCase: "Marketing copy drafts edited by a person before publishing; fits copywriting aid.",
      openEndedness: { outputStyle: "TEMPLATED", promptLength: "About 400 tokens (a spec sheet)", outputLength: "At most 150 words", arbitraryPrompts: false, details: "Output follows a fixed template." },
      risk: { sensitiveDomains: [], harms: "A wrong spec in a description could mislead a buyer.", affectedPeople: "Buyers; editors check every draft against the sheet." },
      misusePlan: { safeguards: ["HUMAN_IN_THE_LOOP", "OUTPUT_LENGTH_LIMITS"], details: "Only the two editors use the tool; nothing is published unedited." },
      endUsers: { audience: "INTERNAL_STAFF", authenticated: true, expectedUsers: 2, minorsPossible: false },
      expectedVolume: "About 500 requests a month.",
      goLiveDate: calendarDateIn(35),
    },
  },
];

/** Demo Labs asks to take its approved support-reply drafts live: a production review owned by the demo applicant. */
const demoProductionReview = {
  productName: "Support reply drafts (production)",
  description: "Takes the support-reply assistant live for all 25 agents, with the same human review of every reply.",
  answers: {
    supportedUseCase: "Drafts replies to customer-support tickets about our own product; fits customer-support drafting.",
    openEndedness: { outputStyle: "CONSTRAINED", promptLength: "About 500 tokens (the ticket thread)", outputLength: "Under 200 words", arbitraryPrompts: false, details: "Replies are grounded in the ticket; customers never write prompts." },
    risk: { sensitiveDomains: [], harms: "A wrong reply could mislead a customer.", affectedPeople: "Customers; agents edit and send every reply themselves." },
    misusePlan: { safeguards: ["HUMAN_IN_THE_LOOP", "END_USER_AUTH", "CONTENT_FILTERING", "OUTPUT_LENGTH_LIMITS"], details: "Weekly sample audits; keys are rotated quarterly." },
    endUsers: { audience: "INTERNAL_STAFF", authenticated: true, expectedUsers: 25, minorsPossible: false },
    expectedVolume: "About 20,000 requests a month.",
    goLiveDate: calendarDateIn(120),
    production: { liveProduct: "Live in the help desk for all 25 agents; every reply is edited by an agent.", safeguardsAsBuilt: "Content filter on outputs, 200-word cap, weekly sample audits." },
  },
};

async function seedDemoQueue(db: PrismaClient): Promise<void> {
  const already = await db.application.findFirst({ where: { productName: demoProductionReview.productName }, select: { id: true } });
  if (already) return;
  const day = 86_400_000;
  const unusablePassword = await hashPassword(randomBytes(24).toString("base64url"));
  await db.$transaction(async (tx) => {
    for (const item of demoQueue) {
      const owner = await tx.user.upsert({
        where: { email: item.organization.ownerEmail },
        create: { email: item.organization.ownerEmail, name: item.organization.ownerName, passwordHash: unusablePassword },
        update: {},
      });
      const { name, website, description } = item.organization;
      const organization = await tx.organization.create({ data: { name, website, description, memberships: { create: { userId: owner.id, role: "OWNER" } } } });
      const category = await tx.useCaseCategory.findUnique({ where: { slug: item.categorySlug }, select: { id: true } });
      const submittedAt = new Date(Date.now() - item.daysAgo * day);
      await tx.application.create({
        data: {
          organizationId: organization.id,
          createdById: owner.id,
          categoryId: category?.id,
          stage: item.stage,
          track: item.track,
          status: "SUBMITTED",
          priority: item.priority,
          productName: item.productName,
          description: item.description,
          answers: item.answers as Prisma.InputJsonValue,
          academic: item.academic as Prisma.InputJsonValue | undefined,
          currentVersion: 1,
          submittedAt,
          createdAt: submittedAt,
          versions: { create: { version: 1, submittedById: owner.id, createdAt: submittedAt, snapshot: { productName: item.productName, answers: item.answers } as Prisma.InputJsonValue } },
          events: { create: [{ type: "drafted", actorId: owner.id, createdAt: submittedAt }, { type: "submitted", actorId: owner.id, createdAt: submittedAt }] },
        },
      });
    }
    const applicant = await tx.user.findUniqueOrThrow({ where: { email: "applicant@gatehouse.test" }, select: { id: true } });
    const parent = await tx.application.findFirst({
      where: { productName: "Support reply drafts", organization: { memberships: { some: { userId: applicant.id } } } },
      select: { id: true, organizationId: true, categoryId: true },
    });
    if (!parent) return;
    const submittedAt = new Date(Date.now() - 2 * day);
    await tx.application.create({
      data: {
        organizationId: parent.organizationId,
        createdById: applicant.id,
        parentId: parent.id,
        categoryId: parent.categoryId,
        stage: "PRODUCTION",
        status: "SUBMITTED",
        productName: demoProductionReview.productName,
        description: demoProductionReview.description,
        answers: demoProductionReview.answers,
        currentVersion: 1,
        submittedAt,
        versions: { create: { version: 1, submittedById: applicant.id, snapshot: { productName: demoProductionReview.productName, answers: demoProductionReview.answers } } },
        events: { create: [{ type: "drafted", actorId: applicant.id }, { type: "submitted", actorId: applicant.id, createdAt: submittedAt }] },
      },
    });
  });
}
