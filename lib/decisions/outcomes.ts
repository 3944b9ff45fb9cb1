// The one table of decision outcomes: how each reads, the status change it makes, and whether it issues a key grant.
// The decision service, its action and form, the pages and the appeals all read it. Client-safe.
import { statusChanges, type ApplicationStatus } from "@/lib/applications/status";
import type { ApplicationEventType } from "@/lib/applications/events";

export const decisionOutcomes = ["APPROVED", "APPROVED_WITH_CONDITIONS", "CHANGES_REQUESTED", "REJECTED"] as const;
export type DecisionOutcome = (typeof decisionOutcomes)[number];

interface OutcomeRow {
  label: string;
  /** The status change (lib/applications/status.ts) the decision makes. */
  change: "approve" | "requestChanges" | "reject";
  issuesGrant: boolean;
  hasConditions: boolean;
  /** The applicant may appeal this outcome (lib/appeals). */
  isAppealable: boolean;
  messageLabel: string;
  tone: "green" | "amber" | "red";
  /** Appended to the applicant's notification. */
  nextStep: string;
}

export const decisionOutcomeTable = {
  APPROVED: {
    label: "Approved",
    change: "approve",
    issuesGrant: true,
    hasConditions: false,
    isAppealable: false,
    messageLabel: "Message to the applicant (optional)",
    tone: "green",
    nextStep: "You can now create API keys under this approval.",
  },
  APPROVED_WITH_CONDITIONS: {
    label: "Approved with conditions",
    change: "approve",
    issuesGrant: true,
    hasConditions: true,
    isAppealable: false,
    messageLabel: "Message to the applicant (optional)",
    tone: "green",
    nextStep: "You can now create API keys under this approval.",
  },
  CHANGES_REQUESTED: {
    label: "Changes requested",
    change: "requestChanges",
    issuesGrant: false,
    hasConditions: false,
    isAppealable: true,
    messageLabel: "What the applicant must change (required)",
    tone: "amber",
    nextStep: "Edit the application and submit it again, or appeal the decision within 30 days.",
  },
  REJECTED: {
    label: "Rejected",
    change: "reject",
    issuesGrant: false,
    hasConditions: false,
    isAppealable: true,
    messageLabel: "Reason, citing the category or the policy (required)",
    tone: "red",
    nextStep: "You may appeal the decision within 30 days.",
  },
} as const satisfies Record<DecisionOutcome, OutcomeRow>;

export function outcomeLabel(outcome: DecisionOutcome): string {
  return decisionOutcomeTable[outcome].label;
}

/** The status an outcome moves the application to. */
export function outcomeStatus(outcome: DecisionOutcome): ApplicationStatus {
  return statusChanges[decisionOutcomeTable[outcome].change].to;
}

/** The timeline event an outcome records. */
export function outcomeEvent(outcome: DecisionOutcome): ApplicationEventType {
  return statusChanges[decisionOutcomeTable[outcome].change].event;
}

export function issuesGrant(outcome: DecisionOutcome): boolean {
  return decisionOutcomeTable[outcome].issuesGrant;
}

export function isDecisionOutcome(value: unknown): value is DecisionOutcome {
  return typeof value === "string" && (decisionOutcomes as readonly string[]).includes(value);
}
