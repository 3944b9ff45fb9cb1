// The application state machine: every status change names the states it may start from.
import { AppError } from "@/lib/errors";

export const applicationStatuses = ["DRAFT", "SUBMITTED", "IN_REVIEW", "CHANGES_REQUESTED", "APPROVED", "REJECTED", "WITHDRAWN"] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export const transitions = {
  submit: ["DRAFT", "CHANGES_REQUESTED"],
  // A submission after requested changes: the applicant's service records it as "resubmitted".
  resubmit: ["CHANGES_REQUESTED"],
  edit: ["DRAFT", "CHANGES_REQUESTED"],
  startReview: ["SUBMITTED"],
  requestChanges: ["SUBMITTED", "IN_REVIEW"],
  approve: ["SUBMITTED", "IN_REVIEW"],
  reject: ["SUBMITTED", "IN_REVIEW"],
  withdraw: ["DRAFT", "SUBMITTED", "IN_REVIEW", "CHANGES_REQUESTED"],
} as const satisfies Record<string, readonly ApplicationStatus[]>;
export type Transition = keyof typeof transitions;

const refusals: Record<Transition, string> = {
  submit: "Only a draft or an application with requested changes can be submitted.",
  resubmit: "Only an application with requested changes can be resubmitted.",
  edit: "Only a draft or an application with requested changes can be edited.",
  startReview: "Only a submitted application can enter review.",
  requestChanges: "Changes can only be requested on an application awaiting a decision.",
  approve: "Only an application awaiting a decision can be approved.",
  reject: "Only an application awaiting a decision can be rejected.",
  withdraw: "This application can no longer be withdrawn.",
};

export function canTransition(from: ApplicationStatus, transition: Transition): boolean {
  return (transitions[transition] as readonly ApplicationStatus[]).includes(from);
}

/** Throws a "conflict" AppError when `transition` may not start from `from`. */
export function assertTransition(from: ApplicationStatus, transition: Transition): void {
  if (!canTransition(from, transition)) throw new AppError("conflict", `${refusals[transition]} It is ${statusLabel(from).toLowerCase()}.`);
}

export function statusLabel(status: ApplicationStatus): string {
  switch (status) {
    case "DRAFT":
      return "Draft";
    case "SUBMITTED":
      return "Submitted";
    case "IN_REVIEW":
      return "In review";
    case "CHANGES_REQUESTED":
      return "Changes requested";
    case "APPROVED":
      return "Approved";
    case "REJECTED":
      return "Rejected";
    case "WITHDRAWN":
      return "Withdrawn";
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}
