// The application form: drafts may be partial, a submission needs everything. Client-safe (no server imports):
// the stepped form validates with the same schemas the server actions use.
import { z } from "zod";
import { emptyRecord, formNumber, idSchema, isCalendarDate, isNotPastDate, isSafeKey, plainName, refuseUnsafeKey } from "@/lib/validation";

export const sensitiveDomains = ["HEALTH", "LEGAL", "FINANCE", "MINORS", "ELECTIONS"] as const;
export const safeguardOptions = [
  "HUMAN_IN_THE_LOOP",
  "END_USER_AUTH",
  "PER_USER_RATE_LIMITS",
  "CONTENT_FILTERING",
  "OUTPUT_LENGTH_LIMITS",
  "TOPIC_RESTRICTION",
  "ACTIVE_MONITORING",
] as const;
export const outputStyles = ["TEMPLATED", "CONSTRAINED", "FREE_FORM"] as const;
export const audiences = ["INTERNAL_STAFF", "INVITED_CUSTOMERS", "PUBLIC"] as const;
export const focusAreas = ["FAIRNESS_REPRESENTATION", "SAFETY_ALIGNMENT", "LANGUAGE_CAPABILITIES", "SOCIAL_SCIENCE", "OTHER"] as const;
export const ethicsStatuses = ["APPROVED", "PENDING", "NOT_REQUIRED"] as const;
export const tracks = ["STANDARD", "ACADEMIC"] as const;
export type Track = (typeof tracks)[number];
export type Stage = "ACCESS" | "PRODUCTION";

export const optionLabels = {
  HEALTH: "Health",
  LEGAL: "Legal",
  FINANCE: "Finance",
  MINORS: "Minors",
  ELECTIONS: "Elections",
  HUMAN_IN_THE_LOOP: "Human in the loop",
  END_USER_AUTH: "End-user authentication",
  PER_USER_RATE_LIMITS: "Per-user rate limits",
  CONTENT_FILTERING: "Content filtering",
  OUTPUT_LENGTH_LIMITS: "Output length limits",
  TOPIC_RESTRICTION: "Topic restriction",
  ACTIVE_MONITORING: "Active monitoring",
  TEMPLATED: "Templated (fixed formats, fill-in-the-blanks)",
  CONSTRAINED: "Constrained (short outputs on one topic)",
  FREE_FORM: "Free-form",
  INTERNAL_STAFF: "Internal staff",
  INVITED_CUSTOMERS: "Invited customers",
  PUBLIC: "The public",
  FAIRNESS_REPRESENTATION: "Fairness and representation",
  SAFETY_ALIGNMENT: "Safety and alignment",
  LANGUAGE_CAPABILITIES: "Language capabilities",
  SOCIAL_SCIENCE: "Social science",
  OTHER: "Other",
  APPROVED: "Approved",
  PENDING: "Pending",
  NOT_REQUIRED: "Not required",
  STANDARD: "Standard",
  ACADEMIC: "Academic",
} as const satisfies Record<string, string>;
export type OptionValue = keyof typeof optionLabels;

export function optionLabel(value: string): string {
  return value in optionLabels ? optionLabels[value as OptionValue] : value;
}

/** The five review questions, as reviewers and applicants see them. */
export const reviewQuestions = [
  { key: "supportedUseCase", title: "1. Supported use case" },
  { key: "openEndedness", title: "2. Open-endedness" },
  { key: "risk", title: "3. Risk" },
  { key: "misusePlan", title: "4. Misuse plan" },
  { key: "endUsers", title: "5. End users" },
] as const;

const SHORT = 200;
const LONG = 5_000;

// --- leaves -------------------------------------------------------------------------------------------------

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);
const toArray = (value: unknown) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]);
const toBoolean = (value: unknown) => (value === "true" || value === true ? true : value === "false" || value === false ? false : undefined);

function requiredText(message: string, max = LONG) {
  return z.string({ error: message }).trim().min(1, message).max(max, `Use at most ${max.toLocaleString("en")} characters.`);
}
function draftText(max = LONG) {
  return z.string().trim().max(max, `Use at most ${max.toLocaleString("en")} characters.`).optional();
}
function requiredEnum<T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.preprocess(emptyToUndefined, z.enum(values, { error: message }));
}
function draftEnum<T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(emptyToUndefined, z.enum(values).optional());
}
function requiredBoolean(message: string) {
  return z.preprocess(toBoolean, z.boolean({ error: message }));
}
const draftBoolean = z.preprocess(toBoolean, z.boolean().optional());
const expectedUsersSchema = formNumber(
  z
    .number({ error: "Enter the expected number of end users as a whole number." })
    .int("Enter a whole number.")
    .min(1, "Expect at least one end user.")
    .max(1_000_000_000, "That number is too large."),
);
const dateSchema = z
  .string({ error: "Enter the go-live date." })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the go-live date as YYYY-MM-DD.")
  .refine(isCalendarDate, "Enter a real calendar date.");

// --- the five answers ---------------------------------------------------------------------------------------

export const answersSchema = z.object({
  supportedUseCase: requiredText("Describe what your product does with the model and why it fits the category."),
  openEndedness: z.object({
    outputStyle: requiredEnum(outputStyles, "Choose how constrained the outputs are."),
    promptLength: requiredText("Give the expected prompt length (for example “about 300 tokens”).", SHORT),
    outputLength: requiredText("Give the expected output length (for example “under 200 words”).", SHORT),
    arbitraryPrompts: requiredBoolean("Say whether end users can write arbitrary prompts."),
    details: draftText(),
  }),
  risk: z.object({
    sensitiveDomains: z.preprocess(toArray, z.array(z.enum(sensitiveDomains, { error: "Choose from the listed domains." }))),
    harms: requiredText("Describe what could go wrong."),
    affectedPeople: requiredText("Describe who could be harmed."),
  }),
  misusePlan: z.object({
    safeguards: z.preprocess(toArray, z.array(z.enum(safeguardOptions, { error: "Choose from the listed safeguards." })).min(1, "Choose at least one safeguard.")),
    details: requiredText("Describe how the chosen safeguards work in your product."),
  }),
  endUsers: z.object({
    audience: requiredEnum(audiences, "Choose who the end users are."),
    authenticated: requiredBoolean("Say whether end users are authenticated."),
    expectedUsers: z.preprocess(emptyToUndefined, expectedUsersSchema),
    minorsPossible: requiredBoolean("Say whether minors may use the product."),
  }),
  expectedVolume: requiredText("Give the expected volume (for example “2,000 requests a month”).", SHORT),
  // Checked when the application is submitted, not in a draft: a draft may wait past the date it first named.
  goLiveDate: dateSchema.refine((value) => isNotPastDate(value), "The go-live date has passed: enter today or a later date."),
  production: z
    .object({
      liveProduct: requiredText("Describe the live product as it is built."),
      safeguardsAsBuilt: requiredText("Describe the safeguards as built."),
    })
    .optional(),
});
export type Answers = z.infer<typeof answersSchema>;

export const answersDraftSchema = z.object({
  supportedUseCase: draftText(),
  openEndedness: z
    .object({
      outputStyle: draftEnum(outputStyles),
      promptLength: draftText(SHORT),
      outputLength: draftText(SHORT),
      arbitraryPrompts: draftBoolean,
      details: draftText(),
    })
    .partial()
    .optional(),
  risk: z
    .object({
      sensitiveDomains: z.preprocess(toArray, z.array(z.enum(sensitiveDomains, { error: "Choose from the listed domains." }))),
      harms: draftText(),
      affectedPeople: draftText(),
    })
    .partial()
    .optional(),
  misusePlan: z
    .object({
      safeguards: z.preprocess(toArray, z.array(z.enum(safeguardOptions, { error: "Choose from the listed safeguards." }))),
      details: draftText(),
    })
    .partial()
    .optional(),
  endUsers: z
    .object({
      audience: draftEnum(audiences),
      authenticated: draftBoolean,
      expectedUsers: z.preprocess(emptyToUndefined, expectedUsersSchema.optional()),
      minorsPossible: draftBoolean,
    })
    .partial()
    .optional(),
  expectedVolume: draftText(SHORT),
  goLiveDate: z.preprocess(emptyToUndefined, dateSchema.optional()),
  production: z.object({ liveProduct: draftText(), safeguardsAsBuilt: draftText() }).partial().optional(),
});
export type AnswersDraft = z.infer<typeof answersDraftSchema>;

// --- academic track -----------------------------------------------------------------------------------------

export const academicSchema = z.object({
  institution: requiredText("Name your institution.", SHORT),
  researchQuestion: requiredText("State your research question."),
  focusArea: requiredEnum(focusAreas, "Choose the focus area of your research."),
  ethicsApproval: requiredEnum(ethicsStatuses, "Give the status of your ethics approval."),
});
export type Academic = z.infer<typeof academicSchema>;

export const academicDraftSchema = z.object({
  institution: draftText(SHORT),
  researchQuestion: draftText(),
  focusArea: draftEnum(focusAreas),
  ethicsApproval: draftEnum(ethicsStatuses),
});
export type AcademicDraft = z.infer<typeof academicDraftSchema>;

// --- whole applications -------------------------------------------------------------------------------------

const productFields = {
  productName: plainName(requiredText("Name your product.", 120)),
  description: requiredText("Describe your product in a few sentences.", 2_000),
  categoryId: idSchema("Choose a use-case category."),
};

/** What the applicant fills in; `answers.production` is required for production reviews only. */
export function submissionSchemaFor({ track, stage }: { track: Track; stage: Stage }) {
  return z.object({
    ...productFields,
    answers: stage === "PRODUCTION" ? answersSchema.extend({ production: answersSchema.shape.production.unwrap() }) : answersSchema,
    academic: track === "ACADEMIC" ? academicSchema : z.unknown().optional(),
  });
}

export const draftInputSchema = z.object({
  applicationId: idSchema(),
  productName: plainName(draftText(120).unwrap()).optional(),
  description: draftText(2_000),
  categoryId: z.preprocess(emptyToUndefined, idSchema("Choose a use-case category.").optional()),
  answers: answersDraftSchema.optional(),
  academic: academicDraftSchema.optional(),
});
export type DraftInput = z.infer<typeof draftInputSchema>;

export const createApplicationSchema = z.object({
  organizationId: idSchema("Choose an organisation."),
  track: z.enum(tracks, { error: "Choose a track." }).default("STANDARD"),
});

export const applicationIdSchema = z.object({ applicationId: idSchema() });
export const listApplicationsSchema = z.object({ page: z.coerce.number().int().min(1).catch(1).default(1) });

/** Queue priority: fairness and representation research first, then other academic work, then standard. */
export function priorityFor({ track, focusArea }: { track: Track; focusArea?: string | null }): number {
  if (track !== "ACADEMIC") return 0;
  return focusArea === "FAIRNESS_REPRESENTATION" ? 10 : 5;
}

/** FormData uses dotted names ("answers.risk.harms"); this nests them, into prototype-less objects. */
export function unflattenFormValues(values: Record<string, unknown>): Record<string, unknown> {
  const result = emptyRecord();
  for (const [key, value] of Object.entries(values)) {
    refuseUnsafeKey(key);
    const parts = key.split(".");
    let target = result;
    for (const part of parts.slice(0, -1)) {
      const next = Object.hasOwn(target, part) ? target[part] : undefined;
      if (typeof next !== "object" || next === null || Array.isArray(next)) target[part] = emptyRecord();
      target = target[part] as Record<string, unknown>;
    }
    const last = parts[parts.length - 1];
    if (last !== undefined) target[last] = value;
  }
  return result;
}

/** The reverse of unflattenFormValues, as form defaults: booleans and numbers become the strings inputs post. */
export function flattenFormValues(values: Record<string, unknown>, prefix = ""): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(values)) {
    // A plain object (it is passed to client components), so names that reach a prototype are skipped.
    if (!isSafeKey(key)) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) result[name] = value.map(String);
    else if (typeof value === "object") Object.assign(result, flattenFormValues(value as Record<string, unknown>, name));
    else result[name] = String(value);
  }
  return result;
}
