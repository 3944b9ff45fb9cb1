// The application state machine: every status change names the states it may start from, where it goes and the
// timeline event it writes. lib/applications/transition.ts is the one function that applies them. Client-safe.
import { AppError } from "@/lib/errors";
import type { ApplicationEventType } from "./events";

export const applicationStatuses = ["DRAFT", "SUBMITTED", "IN_REVIEW", "CHANGES_REQUESTED", "APPROVED", "REJECTED", "WITHDRAWN"] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

interface StatusChange {
  from: readonly ApplicationStatus[];
  to: ApplicationStatus;
  event: ApplicationEventType;
  refusal: string;
}

export const statusChanges = {
  submit: { from: ["DRAFT"], to: "SUBMITTED", event: "submitted", refusal: "Only a draft or an application with requested changes can be submitted." },
  // A submission after requested changes.
  resubmit: { from: ["CHANGES_REQUESTED"], to: "SUBMITTED", event: "resubmitted", refusal: "Only an application with requested changes can be resubmitted." },
  startReview: { from: ["SUBMITTED"], to: "IN_REVIEW", event: "in_review", refusal: "Only a submitted application can enter review." },
  requestChanges: {
    from: ["SUBMITTED", "IN_REVIEW"],
    to: "CHANGES_REQUESTED",
    event: "changes_requested",
    refusal: "Changes can only be requested on an application awaiting a decision.",
  },
  approve: { from: ["SUBMITTED", "IN_REVIEW"], to: "APPROVED", event: "approved", refusal: "Only an application awaiting a decision can be approved." },
  reject: { from: ["SUBMITTED", "IN_REVIEW"], to: "REJECTED", event: "rejected", refusal: "Only an application awaiting a decision can be rejected." },
  withdraw: { from: ["DRAFT", "SUBMITTED", "IN_REVIEW", "CHANGES_REQUESTED"], to: "WITHDRAWN", event: "withdrawn", refusal: "This application can no longer be withdrawn." },
  // A granted appeal: the decision is set aside and the application is reviewed again, or approved at once.
  reopenOnAppeal: { from: ["REJECTED", "CHANGES_REQUESTED"], to: "IN_REVIEW", event: "reopened", refusal: "Only a rejected application or one with requested changes can be reopened." },
  approveOnAppeal: { from: ["REJECTED", "CHANGES_REQUESTED"], to: "APPROVED", event: "approved", refusal: "Only a rejected application or one with requested changes can be approved on appeal." },
} as const satisfies Record<string, StatusChange>;
export type StatusChangeName = keyof typeof statusChanges;

/** Not a status change: the statuses in which the applicant may edit the answers. */
const editableStatuses: readonly ApplicationStatus[] = ["DRAFT", "CHANGES_REQUESTED"];
const editRefusal = "Only a draft or an application with requested changes can be edited.";

export type Transition = StatusChangeName | "edit";

function allowedFrom(transition: Transition): readonly ApplicationStatus[] {
  return transition === "edit" ? editableStatuses : statusChanges[transition].from;
}

export function canTransition(from: ApplicationStatus, transition: Transition): boolean {
  return allowedFrom(transition).includes(from);
}

/** The refusal for `transition` from `from`, e.g. "Only ... can be rejected. It is approved." */
export function refusalOf(transition: Transition, from: ApplicationStatus): string {
  const refusal = transition === "edit" ? editRefusal : statusChanges[transition].refusal;
  return `${refusal} It is ${statusLabel(from).toLowerCase()}.`;
}

/** Throws a "conflict" AppError when `transition` may not start from `from`. */
export function assertTransition(from: ApplicationStatus, transition: Transition): void {
  if (!canTransition(from, transition)) throw new AppError("conflict", refusalOf(transition, from));
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
