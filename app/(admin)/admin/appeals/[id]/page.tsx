import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ResolveAppealForm } from "@/components/appeals/resolve-appeal-form";
import { ApplicationStatusBadge } from "@/components/applications/application-status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { getAppealForAdmin } from "@/lib/appeals/queries";
import { appealGroundLabels, appealStatusLabels } from "@/lib/appeals/schema";
import { requireArea } from "@/lib/auth/session";
import { decisionOutcomeTable, outcomeLabel } from "@/lib/decisions/outcomes";
import { isAppError } from "@/lib/errors";
import { formatDateTime } from "@/lib/reviews/format";

export const metadata: Metadata = { title: "Appeal" };

export default async function AppealPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireArea("admin", `/admin/appeals/${id}`);
  const appeal = await getAppealForAdmin({ actor, appealId: id }).catch((error: unknown) => {
    if (isAppError(error) && error.kind === "not_found") notFound();
    throw error;
  });
  const { application, decision } = appeal;
  return (
    <div className="max-w-4xl space-y-6">
      <PageHeader title={`Appeal: ${application.productName || "Untitled application"}`} description={application.organization.name}>
        <Link href="/admin/appeals" className="text-sm font-medium text-indigo-700 hover:underline">
          All appeals
        </Link>
      </PageHeader>
      <Card title="The decision appealed">
        <div className="space-y-2 text-sm" data-testid="appealed-decision">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={decisionOutcomeTable[decision.outcome].tone}>{outcomeLabel(decision.outcome)}</Badge>
            <span className="text-slate-600">
              by {decision.admin.name} ({decision.admin.email}) · {formatDateTime(decision.createdAt)}
            </span>
          </p>
          {decision.message ? <p className="whitespace-pre-wrap">{decision.message}</p> : null}
          <p className="flex flex-wrap items-center gap-2">
            Application now: <ApplicationStatusBadge status={application.status} />
            <Link href={`/review/applications/${application.id}`} className="font-medium text-indigo-700 hover:underline">
              Open the application
            </Link>
          </p>
        </div>
      </Card>
      <Card title="The appeal">
        <div className="space-y-2 text-sm" data-testid="appeal-detail">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={appeal.status === "OPEN" ? "amber" : appeal.status === "GRANTED" ? "green" : "slate"}>{appealStatusLabels[appeal.status]}</Badge>
            <span className="text-slate-600">
              from {appeal.appellant.name} ({appeal.appellant.email}) · {formatDateTime(appeal.createdAt)}
            </span>
          </p>
          <h3 className="font-semibold">Grounds</h3>
          <ul className="list-disc pl-5">
            {appeal.grounds.map((ground) => (
              <li key={ground}>{appealGroundLabels[ground]}</li>
            ))}
          </ul>
          <h3 className="font-semibold">Statement</h3>
          <p className="whitespace-pre-wrap">{appeal.statement}</p>
        </div>
      </Card>
      <Card title="Outcome">
        {appeal.status !== "OPEN" ? (
          <div className="space-y-1 text-sm">
            <p>
              {appealStatusLabels[appeal.status]}
              {appeal.resolution === "REOPENED" ? ": reopened for review" : appeal.resolution === "APPROVED" ? ": approved" : ""}, by {appeal.decider?.email ?? "an administrator"}
              {appeal.decidedAt ? ` · ${formatDateTime(appeal.decidedAt)}` : ""}.
            </p>
            {appeal.reasons ? <p className="whitespace-pre-wrap">{appeal.reasons}</p> : null}
          </div>
        ) : appeal.isDecider ? (
          <p className="text-sm text-slate-700" role="status">
            You made the decision under appeal, so another administrator must decide this appeal.
          </p>
        ) : (
          <ResolveAppealForm appealId={appeal.id} proposedScopes={appeal.proposedScopes} keyKind={application.stage === "PRODUCTION" ? "LIVE" : "DEVELOPMENT"} />
        )}
      </Card>
    </div>
  );
}
