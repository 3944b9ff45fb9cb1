import { Card } from "@/components/ui/card";
import { formatDateTime } from "@/lib/reviews/format";
import { listMyDecisions } from "@/lib/reviews/queries";
import { outcomeLabel } from "@/lib/decisions/outcomes";
import type { SessionUser } from "@/lib/users/service";

/** The latest review decisions on the applicant's organisations' applications, with reasons and conditions. */
export async function ApplicantDecisions({ user }: { user: SessionUser }) {
  const decisions = await listMyDecisions({ actor: user });
  if (decisions.length === 0) return null;
  return (
    <Card title="Review decisions">
      <ul className="divide-y divide-slate-200 text-sm">
        {decisions.map((decision) => (
          <li key={decision.id} className="py-3" data-testid="applicant-decision">
            <div>
              <span className="font-medium">{decision.application.productName || "Untitled application"}</span>: <strong>{outcomeLabel(decision.outcome)}</strong>
              <span className="text-slate-500"> · {formatDateTime(decision.createdAt)}</span>
            </div>
            {decision.message ? <p className="mt-1 whitespace-pre-wrap text-slate-700">{decision.message}</p> : null}
            {decision.conditions ? <p className="mt-1 whitespace-pre-wrap text-slate-700">Conditions: {decision.conditions}</p> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
