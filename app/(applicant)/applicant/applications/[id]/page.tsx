import type { Metadata } from "next";
import Link from "next/link";
import { RequestProductionReviewButton, WithdrawButton } from "@/components/applications/application-actions";
import { AnswersSummary } from "@/components/applications/answers-summary";
import { ApplicationStatusBadge } from "@/components/applications/application-status-badge";
import { ApplicationTimeline } from "@/components/applications/application-timeline";
import { MessageThread } from "@/components/applications/message-thread";
import { ScopeSummary } from "@/components/keys/scope-summary";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { getApplicationForApplicant, getApplicationOutcome, listApplicationEvents } from "@/lib/applications/queries";
import { optionLabel } from "@/lib/applications/schema";
import { buildSnapshot } from "@/lib/applications/service";
import { canTransition } from "@/lib/applications/status";
import { requireArea } from "@/lib/auth/session";
import { listMessages } from "@/lib/messages/service";
import { formatDateTime } from "@/lib/reviews/format";
import { decisionOutcomeTable, outcomeLabel } from "@/lib/decisions/outcomes";
import { getAppealPanel } from "@/lib/appeals/queries";
import { appealGroundLabels, appealStatusLabels } from "@/lib/appeals/schema";
import { AppealForm } from "@/components/appeals/appeal-form";
import { orNotFound } from "../load";

export const metadata: Metadata = { title: "Application" };

export default async function ApplicationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const user = await requireArea("applicant", `/applicant/applications/${id}`);
  const application = await orNotFound(getApplicationForApplicant({ actor: user, applicationId: id }));
  const [events, messages, outcome, appealPanel] = await Promise.all([
    listApplicationEvents({ actor: user, applicationId: id }),
    listMessages({ actor: user, applicationId: id }),
    getApplicationOutcome({ actor: user, applicationId: id }),
    getAppealPanel({ actor: user, applicationId: id }),
  ]);
  const { decision, grant } = outcome;
  const isApproved = application.status === "APPROVED";
  const canCreateKey = isApproved && grant !== null && !grant.isRevoked;
  const justSubmitted = query.submitted === "1" && (application.status === "SUBMITTED" || application.status === "IN_REVIEW");
  const canEdit = canTransition(application.status, "edit");
  const canWithdraw = canTransition(application.status, "withdraw");
  const openProductionReview = application.children.find((child) => child.status !== "WITHDRAWN" && child.status !== "REJECTED");
  const canRequestProduction = application.stage === "ACCESS" && application.status === "APPROVED" && !openProductionReview;
  const kind = application.stage === "PRODUCTION" ? "Production review" : application.track === "ACADEMIC" ? "Academic access request" : "Access request";
  return (
    <div className="space-y-6">
      <PageHeader title={application.productName || "Untitled application"} description={`${kind} · ${application.organization.name}`}>
        <ApplicationStatusBadge status={application.status} />
      </PageHeader>

      {justSubmitted ? (
        <section role="status" aria-labelledby="submitted-heading" className="rounded-md bg-green-50 p-4 text-sm text-green-900 ring-1 ring-green-200">
          <h2 id="submitted-heading" className="font-semibold">
            Submitted: version {application.currentVersion} is with the reviewers.
          </h2>
          <p className="mt-1">What happens next:</p>
          <ol className="mt-1 list-decimal space-y-1 pl-5">
            <li>A reviewer claims your application and scores its answers to the five questions.</li>
            <li>They may write to you below with questions; you will get a notification when they do.</li>
            <li>An administrator decides. If you are approved, this page shows the granted scopes and a button to create your first API key.</li>
          </ol>
        </section>
      ) : null}
      {decision ? (
        <Card title="Decision">
          <div className="space-y-3 text-sm" data-testid="decision">
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={decisionOutcomeTable[decision.outcome].tone}>{outcomeLabel(decision.outcome)}</Badge>
              <span className="text-slate-600">{formatDateTime(decision.createdAt)}</span>
            </p>
            {decision.message ? <p className="whitespace-pre-wrap text-slate-900">{decision.message}</p> : null}
            {decision.conditions ? (
              <div>
                <h3 className="font-semibold text-slate-900">Conditions you must meet</h3>
                <p className="whitespace-pre-wrap text-slate-900">{decision.conditions}</p>
              </div>
            ) : null}
            {decision.scopes ? (
              <div>
                <h3 className="mb-1 font-semibold text-slate-900">Granted scopes</h3>
                <ScopeSummary scopes={decision.scopes} />
              </div>
            ) : null}
            {canCreateKey && grant ? (
              <div className="flex flex-wrap gap-3 pt-1">
                <Link href={`/applicant/keys#grant-${grant.id}`} className={buttonClass()}>
                  {grant.keyCount === 0 ? "Create an API key" : "Manage API keys"}
                </Link>
                <Link href="/applicant/playground" className={buttonClass("secondary")}>
                  Try the playground
                </Link>
              </div>
            ) : null}
            {isApproved && grant?.isRevoked ? <p className="text-slate-700">An administrator has since withdrawn this approval: no new keys can be created under it.</p> : null}
          </div>
        </Card>
      ) : null}
      <AppealCard applicationId={id} panel={appealPanel} />
      {application.status === "CHANGES_REQUESTED" ? (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          Reviewers requested changes. Read their messages below, then revise and resubmit: your next submission is kept as a new version.
        </p>
      ) : null}
      {application.status === "WITHDRAWN" ? (
        <p role="status" className="rounded-md bg-slate-100 p-3 text-sm text-slate-700">
          You withdrew this application. It cannot be resubmitted; start a new application instead.
        </p>
      ) : null}

      <Card title="Next steps">
        <div className="flex flex-wrap items-start gap-3">
          {canEdit ? (
            <Link href={`/applicant/applications/${id}/edit`} className={buttonClass()}>
              {application.status === "CHANGES_REQUESTED" ? "Revise and resubmit" : "Continue editing"}
            </Link>
          ) : null}
          {application.currentVersion > 0 ? (
            <Link href={`/applicant/applications/${id}/versions`} className={buttonClass("secondary")}>
              Version history ({application.currentVersion})
            </Link>
          ) : null}
          {canRequestProduction ? <RequestProductionReviewButton applicationId={id} variant={canCreateKey ? "secondary" : "primary"} /> : null}
          {openProductionReview ? (
            <Link href={`/applicant/applications/${openProductionReview.id}`} className={buttonClass("secondary")}>
              Open the production review
            </Link>
          ) : null}
          {application.parent ? (
            <Link href={`/applicant/applications/${application.parent.id}`} className={buttonClass("secondary")}>
              Access request: {application.parent.productName || "untitled"}
            </Link>
          ) : null}
          {canWithdraw ? <WithdrawButton applicationId={id} productName={application.productName} /> : null}
        </div>
        {application.status === "DRAFT" ? <p className="mt-3 text-sm text-slate-600">This is a draft: reviewers see it only once you submit.</p> : null}
        {application.track === "ACADEMIC" ? <p className="mt-3 text-sm text-slate-600">Academic track · queue priority {application.priority}.</p> : null}
      </Card>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title="Answers">
            <AnswersSummary snapshot={buildSnapshot(application)} />
          </Card>
          <Card title="Messages">
            {application.status === "DRAFT" ? (
              <p className="text-sm text-slate-600">Once you submit, you and the reviewers can write to each other here.</p>
            ) : (
              <MessageThread
                applicationId={id}
                canPost={application.status !== "WITHDRAWN"}
                messages={messages.map((message) => ({ id: message.id, body: message.body, createdAt: message.createdAt.toISOString(), author: message.author }))}
              />
            )}
          </Card>
        </div>
        <Card title="Timeline" className="self-start">
          <ApplicationTimeline events={events} />
          {application.category ? (
            <p className="mt-4 text-xs text-slate-500">
              Category: {application.category.name} ({optionLabel(application.track)} track)
            </p>
          ) : null}
        </Card>
      </div>
    </div>
  );
}

/** The appeal of the latest decision: its state once filed, the form while one may be filed, or why not. */
function AppealCard({ applicationId, panel }: { applicationId: string; panel: Awaited<ReturnType<typeof getAppealPanel>> }) {
  const { decision, appeal, eligibility } = panel;
  if (appeal) {
    return (
      <Card title="Appeal">
        <div className="space-y-2 text-sm" data-testid="appeal">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={appeal.status === "OPEN" ? "amber" : appeal.status === "GRANTED" ? "green" : "slate"}>{appealStatusLabels[appeal.status]}</Badge>
            <span className="text-slate-600">Sent {formatDateTime(appeal.createdAt)}</span>
          </p>
          <p>
            <span className="font-medium">Grounds:</span> {appeal.grounds.map((ground) => appealGroundLabels[ground]).join("; ")}
          </p>
          <p className="whitespace-pre-wrap text-slate-900">{appeal.statement}</p>
          {appeal.status === "OPEN" ? <p className="text-slate-600">An administrator who did not make the decision will answer; you will be notified.</p> : null}
          {appeal.status === "GRANTED" ? (
            <p className="text-slate-900">{appeal.resolution === "APPROVED" ? "Granted: the application was approved (see the decision above)." : "Granted: the application is back with the reviewers."}</p>
          ) : null}
          {appeal.reasons ? (
            <p className="whitespace-pre-wrap text-slate-900">
              <span className="font-medium">Reasons:</span> {appeal.reasons}
            </p>
          ) : null}
          {!eligibility.isEligible && decision && !decision.appeal && decisionOutcomeTable[decision.outcome].isAppealable ? <p className="text-slate-600">{eligibility.reason}</p> : null}
        </div>
      </Card>
    );
  }
  if (!decision || !decisionOutcomeTable[decision.outcome].isAppealable) return null;
  return (
    <Card title="Appeal this decision">
      {eligibility.isEligible ? (
        <AppealForm applicationId={applicationId} deadline={formatDateTime(eligibility.deadline)} />
      ) : (
        <p className="text-sm text-slate-700" data-testid="appeal-ineligible">
          {eligibility.reason}
        </p>
      )}
    </Card>
  );
}
