import type { Metadata } from "next";
import Link from "next/link";
import { RequestProductionReviewButton, WithdrawButton } from "@/components/applications/application-actions";
import { AnswersSummary } from "@/components/applications/answers-summary";
import { ApplicationStatusBadge } from "@/components/applications/application-status-badge";
import { ApplicationTimeline } from "@/components/applications/application-timeline";
import { MessageThread } from "@/components/applications/message-thread";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { getApplicationForApplicant, listApplicationEvents } from "@/lib/applications/queries";
import { optionLabel } from "@/lib/applications/schema";
import { buildSnapshot } from "@/lib/applications/service";
import { canTransition } from "@/lib/applications/status";
import { requireArea } from "@/lib/auth/session";
import { listMessages } from "@/lib/messages/service";
import { orNotFound } from "../load";

export const metadata: Metadata = { title: "Application" };

export default async function ApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireArea("applicant", `/applicant/applications/${id}`);
  const application = await orNotFound(getApplicationForApplicant({ actor: user, applicationId: id }));
  const [events, messages] = await Promise.all([listApplicationEvents({ actor: user, applicationId: id }), listMessages({ actor: user, applicationId: id })]);
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
          {canRequestProduction ? <RequestProductionReviewButton applicationId={id} /> : null}
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
