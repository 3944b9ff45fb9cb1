// The use-case policy's categories: one schema for the admin form and the service, plus their default key scopes.
import { z } from "zod";
import { idSchema, plainName } from "@/lib/validation";
import { readScopeFields } from "@/lib/keys/scope-form";
import { apiEndpoints, contentFilterLevels, defaultDevelopmentScopes, keyScopesSchema, type KeyScopes } from "@/lib/keys/scopes";

export const categoryStatuses = ["SUPPORTED", "CASE_BY_CASE", "NOT_SUPPORTED"] as const;
export type CategoryStatus = (typeof categoryStatuses)[number];

export const categoryStatusLabels: Record<CategoryStatus, string> = {
  SUPPORTED: "supported",
  CASE_BY_CASE: "case by case",
  NOT_SUPPORTED: "not supported",
};

/** A textarea with one entry per line, or an array (tests, JSON). */
const lineList = (label: string) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.split(/\r?\n/) : value),
    z
      .array(z.string().trim().max(300, `Keep each ${label} under 300 characters.`))
      .transform((lines) => lines.filter((line) => line.length > 0))
      .pipe(z.array(z.string()).max(20, `List at most 20 ${label}s.`)),
  );

export const categoryInputSchema = z.object({
  slug: z
    .string({ error: "Enter a slug." })
    .trim()
    .toLowerCase()
    .min(2, "Use at least 2 characters for the slug.")
    .max(60, "Use at most 60 characters for the slug.")
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens, like customer-support."),
  name: plainName(z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(100, "Use at most 100 characters.")),
  status: z.enum(categoryStatuses, { error: "Choose whether this use case is supported." }),
  description: z.string({ error: "Describe the category." }).trim().min(1, "Describe the category.").max(2000, "Use at most 2,000 characters."),
  examples: lineList("example").default([]),
  safeguards: lineList("safeguard").default([]),
});
export type CategoryInput = z.infer<typeof categoryInputSchema>;

export const updateCategorySchema = categoryInputSchema.extend({ id: idSchema() });
export const moveCategorySchema = z.object({ id: idSchema(), direction: z.enum(["up", "down"], { error: "Choose up or down." }) });
export const retireCategorySchema = z.object({
  id: idSchema(),
  retired: z.preprocess((value) => value === true || value === "true", z.boolean()),
});

/** The admin's default-scopes form: the scope editor's fields without topics and expiry (kept as stored). */
export const categoryScopesFormSchema = z.preprocess(
  (value) => (typeof value === "object" && value !== null ? { id: (value as Record<string, unknown>).id, ...readScopeFields(value as Record<string, unknown>, "") } : value),
  keyScopesSchema.omit({ topics: true, expiresAt: true }).extend({ id: idSchema() }),
);

export { apiEndpoints, contentFilterLevels };

/** A category's stored default scopes, or the development sandbox defaults when none (or none valid) are set. */
export function categoryScopesOf(stored: unknown): KeyScopes {
  const parsed = keyScopesSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultDevelopmentScopes;
}
