// Appeals of decisions: the grounds an applicant may state, who may appeal what and until when, and the inputs of
// filing and resolving an appeal. Client-safe.
import { z } from "zod";
import { approvalSchema } from "@/lib/decisions/schema";
import { decisionOutcomeTable, outcomeStatus, type DecisionOutcome } from "@/lib/decisions/outcomes";
import type { ApplicationStatus } from "@/lib/applications/status";
import { idSchema } from "@/lib/validation";

export const appealGrounds = ["FACTUAL_ERROR", "MISSED_PART", "POLICY_MISAPPLIED", "CONFLICT_OF_INTEREST"] as const;
export type AppealGround = (typeof appealGrounds)[number];

export const appealGroundLabels: Record<AppealGround, string> = {
  FACTUAL_ERROR: "The decision rests on a factual error",
  MISSED_PART: "Reviewers missed part of the application",
  POLICY_MISAPPLIED: "The use-case policy was misapplied",
  CONFLICT_OF_INTEREST: "A reviewer or the decider had a conflict of interest",
};

export const appealStatuses = ["OPEN", "UPHELD", "GRANTED"] as const;
export type AppealStatus = (typeof appealStatuses)[number];
export const appealStatusLabels: Record<AppealStatus, string> = { OPEN: "Open", UPHELD: "Upheld: the decision stands", GRANTED: "Granted" };

export const APPEAL_WINDOW_DAYS = 30;
export const STATEMENT_MIN = 20;
export const STATEMENT_MAX = 4_000;

export const fileAppealSchema = z.object({
  applicationId: idSchema(),
  // A form sends one value for one ticked box and a list for several.
  grounds: z.preprocess(
    (value) => (value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.enum(appealGrounds, { error: "Choose one of the listed grounds." })).min(1, "Choose at least one ground for the appeal."),
  ),
  statement: z
    .string({ error: "Explain why the decision should change." })
    .trim()
    .min(STATEMENT_MIN, `Explain why the decision should change, in at least ${STATEMENT_MIN} characters.`)
    .max(STATEMENT_MAX, `Keep the statement under ${STATEMENT_MAX.toLocaleString("en")} characters.`),
});

export const appealResults = ["UPHELD", "REOPEN", "APPROVE"] as const;
export type AppealResult = (typeof appealResults)[number];
export const appealResultLabels: Record<AppealResult, string> = {
  UPHELD: "Uphold: the decision stands",
  REOPEN: "Grant: reopen the application for review",
  APPROVE: "Grant: approve with these scopes",
};

const reasons = z.string().trim().max(5_000, "Keep it under 5,000 characters.");

export const resolveAppealSchema = z.discriminatedUnion(
  "result",
  [
    z.object({ result: z.literal("UPHELD"), appealId: idSchema(), reasons: reasons.min(1, "Give the reasons the decision stands.") }),
    z.object({ result: z.literal("REOPEN"), appealId: idSchema(), reasons: reasons.default("") }),
    z.object({ result: z.literal("APPROVE"), appealId: idSchema(), reasons: reasons.default(""), approval: approvalSchema }),
  ],
  { error: "Choose how to resolve the appeal." },
);
export type ResolveAppealInput = z.infer<typeof resolveAppealSchema>;

export type AppealEligibility = { isEligible: true; deadline: Date } | { isEligible: false; reason: string };

/**
 * Whether the latest decision may be appealed now: only a rejection or a request for changes, once, within
 * APPEAL_WINDOW_DAYS of the decision, while the application is still as the decision left it.
 */
export function appealEligibility({
  decision,
  applicationStatus,
  hasAppeal,
  now,
}: {
  decision: { outcome: DecisionOutcome; createdAt: Date } | null;
  applicationStatus: ApplicationStatus;
  hasAppeal: boolean;
  now: Date;
}): AppealEligibility {
  if (!decision) return { isEligible: false, reason: "There is no decision to appeal." };
  if (!decisionOutcomeTable[decision.outcome].isAppealable) return { isEligible: false, reason: `A decision of “${decisionOutcomeTable[decision.outcome].label}” cannot be appealed.` };
  if (hasAppeal) return { isEligible: false, reason: "This decision has already been appealed; a decision can be appealed once." };
  const deadline = new Date(decision.createdAt.getTime() + APPEAL_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  if (now.getTime() > deadline.getTime()) return { isEligible: false, reason: `The ${APPEAL_WINDOW_DAYS}-day window to appeal this decision closed on ${deadline.toISOString().slice(0, 10)}.` };
  if (applicationStatus !== outcomeStatus(decision.outcome)) return { isEligible: false, reason: "The application has changed since this decision, so it can no longer be appealed." };
  return { isEligible: true, deadline };
}
