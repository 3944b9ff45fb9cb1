// The admin's decision input (one variant per outcome of ./outcomes.ts) and how the decision form becomes one.
import { z } from "zod";
import { scopesFromForm } from "@/lib/reviews/schema";
import { grantedScopesSchema } from "@/lib/keys/scopes";
import { idSchema } from "@/lib/validation";
import { decisionOutcomeTable, isDecisionOutcome } from "./outcomes";

const decisionMessage = z.string().trim().max(5_000, "Keep it under 5,000 characters.").default("");

const approved = z.object({ outcome: z.literal("APPROVED"), message: decisionMessage, scopes: grantedScopesSchema });
const approvedWithConditions = z.object({
  outcome: z.literal("APPROVED_WITH_CONDITIONS"),
  message: decisionMessage,
  conditions: z.string().trim().min(1, "State the conditions the applicant must meet.").max(5_000, "Keep it under 5,000 characters."),
  scopes: grantedScopesSchema,
});

/** The approvals alone: what a granted appeal may turn a decision into. */
export const approvalSchema = z.discriminatedUnion("outcome", [approved, approvedWithConditions], { error: "Choose an approval." });
export type Approval = z.infer<typeof approvalSchema>;

export const decisionInputSchema = z.discriminatedUnion(
  "outcome",
  [
    approved.extend({ applicationId: idSchema() }),
    approvedWithConditions.extend({ applicationId: idSchema() }),
    z.object({
      outcome: z.literal("CHANGES_REQUESTED"),
      applicationId: idSchema(),
      message: z.string().trim().min(1, "Tell the applicant what to change.").max(5_000, "Keep it under 5,000 characters."),
    }),
    z.object({
      outcome: z.literal("REJECTED"),
      applicationId: idSchema(),
      message: z.string().trim().min(1, "Give the reason, citing the category or the policy.").max(5_000, "Keep it under 5,000 characters."),
    }),
  ],
  { error: "Choose a decision." },
);
export type DecisionInput = z.infer<typeof decisionInputSchema>;

/** The decision form's fields as a decision candidate: scopes and conditions only where the outcome has them. */
export function decisionFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const row = isDecisionOutcome(form.outcome) ? decisionOutcomeTable[form.outcome] : undefined;
  return {
    outcome: form.outcome,
    message: form.message ?? "",
    ...(row?.hasConditions ? { conditions: form.conditions } : {}),
    ...(row?.issuesGrant ? { scopes: scopesFromForm(form) } : {}),
  };
}
