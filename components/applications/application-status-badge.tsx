import { Badge } from "@/components/ui/badge";
import { statusLabel, type ApplicationStatus } from "@/lib/applications/status";

const tones: Record<ApplicationStatus, "green" | "amber" | "red" | "slate" | "indigo"> = {
  DRAFT: "slate",
  SUBMITTED: "indigo",
  IN_REVIEW: "indigo",
  CHANGES_REQUESTED: "amber",
  APPROVED: "green",
  REJECTED: "red",
  WITHDRAWN: "slate",
};

export function ApplicationStatusBadge({ status }: { status: ApplicationStatus }) {
  return <Badge tone={tones[status]}>{statusLabel(status)}</Badge>;
}
