// Demo data: three accounts whose credentials the README lists, and the use-case categories.
// Seeded on the first start of an empty embedded database and by `npm run db:seed`; never unasked in production.
import { hashPassword } from "@/lib/auth/password";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/users/schema";

export const demoAccounts: { email: string; password: string; name: string; role: Role }[] = [
  { email: "admin@gatehouse.test", password: "gatehouse-admin-demo", name: "Ada Admin", role: "ADMIN" },
  { email: "reviewer@gatehouse.test", password: "gatehouse-reviewer-demo", name: "Rory Reviewer", role: "REVIEWER" },
  { email: "applicant@gatehouse.test", password: "gatehouse-applicant-demo", name: "Alex Applicant", role: "APPLICANT" },
];

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

export async function seedDemoData(db: PrismaClient): Promise<{ accounts: number; categories: number }> {
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
  return { accounts: demoAccounts.length, categories: demoCategories.length };
}
