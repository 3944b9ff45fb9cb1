// The timeline's event types (ApplicationEvent.type) and how each reads: the one list of event labels. Client-safe.
export const applicationEventTypes = [
  "drafted",
  "submitted",
  "in_review",
  "changes_requested",
  "resubmitted",
  "review_submitted",
  "review_revised",
  "approved",
  "rejected",
  "withdrawn",
  "appealed",
  "appeal_upheld",
  "appeal_granted",
  "reopened",
] as const;
export type ApplicationEventType = (typeof applicationEventTypes)[number];

const labels: Record<ApplicationEventType, string> = {
  drafted: "Draft started",
  submitted: "Submitted",
  in_review: "Review started",
  changes_requested: "Changes requested",
  resubmitted: "Resubmitted",
  review_submitted: "Review submitted",
  review_revised: "Review revised",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  appealed: "Decision appealed",
  appeal_upheld: "Appeal upheld: the decision stands",
  appeal_granted: "Appeal granted",
  reopened: "Reopened for review",
};

export function isApplicationEventType(value: string): value is ApplicationEventType {
  return (applicationEventTypes as readonly string[]).includes(value);
}

/** Known types read as labels; any other type (a later feature's) is humanised rather than hidden. */
export function eventLabel(type: string): string {
  if (isApplicationEventType(type)) return labels[type];
  const words = type.replace(/[_.-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
