import { Badge } from "@/components/ui/badge";

const labels = {
  SUPPORTED: { text: "Supported", tone: "green" },
  CASE_BY_CASE: { text: "Case by case", tone: "amber" },
  NOT_SUPPORTED: { text: "Not supported", tone: "red" },
} as const;

export function CategoryStatusBadge({ status }: { status: keyof typeof labels }) {
  const label = labels[status];
  return <Badge tone={label.tone}>{label.text}</Badge>;
}

export function RetiredBadge() {
  return <Badge tone="slate">Retired</Badge>;
}
