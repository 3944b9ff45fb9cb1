import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { AnswersSummary } from "@/components/applications/answers-summary";
import { VersionDiff } from "@/components/applications/version-diff";
import { DecisionForm } from "@/components/reviews/decision-form";
import { AssignForm, ClaimButton, ConflictForm, MessageForm } from "@/components/reviews/review-actions";
import { ScorecardForm } from "@/components/reviews/scorecard-form";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { asSnapshot } from "@/lib/applications/diff";
import { eventLabel } from "@/lib/applications/events";
import { listVersionsForStaff } from "@/lib/applications/queries";
import { statusLabel } from "@/lib/applications/status";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { formatAge, formatDateTime } from "@/lib/reviews/format";
import { getReviewWorkspace } from "@/lib/reviews/queries";
import { outcomeLabel } from "@/lib/decisions/outcomes";
import { questions, recommendationLabels } from "@/lib/reviews/schema";

export const metadata: Metadata = { title: "Review application" };

async function loadWorkspace(actor: Awaited<ReturnType<typeof requireArea>>, applicationId: string) {
  try {
    return await getReviewWorkspace({ actor, applicationId });
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") notFound();
    if (isAppError(error) && error.kind === "forbidden") forbidden();
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export default async function ReviewApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireArea("review", `/review/applications/${id}`);
  const workspace = await loadWorkspace(actor, id);
  const { application, summary, reviews, ownReview } = workspace;
  // The latest submitted version, read with the same renderer the applicant's own page uses; fields an older
  // snapshot lacks come from the application itself.
  const snapshot = {
    productName: application.productName,
    description: application.description,
    category: application.category ? { id: application.category.slug, name: application.category.name } : null,
    track: application.track,
    academic: isRecord(application.academic) ? application.academic : null,
    ...asSnapshot(workspace.answers),
  };
  const isAdmin = actor.role === "ADMIN";
  // A resubmission: show what changed since the version before (lib/applications/diff.ts).
  const [latestVersion, previousVersion] = application.currentVersion > 1 ? await listVersionsForStaff({ actor, applicationId: id }) : [];
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/review" className="text-indigo-700 hover:underline">
          ← Review queue
        </Link>
      </p>
      <PageHeader
        title={application.productName || "Untitled application"}
        description={`${application.organization.name} · ${application.category?.name ?? "No category"} · ${application.stage === "PRODUCTION" ? "Production review" : "Access request"} · ${application.track === "ACADEMIC" ? "Academic research track" : "Standard track"}`}
      >
        <div className="flex flex-wrap gap-2">
          <Badge tone="slate">{statusLabel(application.status)}</Badge>
          {application.priority > 0 ? <Badge tone="indigo">Prioritised</Badge> : null}
          {application.isHighRisk ? <Badge tone="red">High risk</Badge> : null}
          {application.hasDisagreement ? <Badge tone="amber">Disagreement</Badge> : null}
        </div>
      </PageHeader>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title={`Answers (version ${application.currentVersion})`}>
            <AnswersSummary snapshot={snapshot} />
          </Card>

          {latestVersion && previousVersion ? (
            <Card title={`What changed since version ${previousVersion.version}`}>
              <VersionDiff before={previousVersion.snapshot} after={latestVersion.snapshot} />
            </Card>
          ) : null}

          {summary && reviews ? (
            <Card title="Scores of all reviewers">
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm" aria-label="Scores by question">
                  <thead className="text-slate-500">
                    <tr>
                      <th scope="col" className="py-2 pr-4 font-medium">Question</th>
                      {reviews.map((review) => (
                        <th key={review.id} scope="col" className="py-2 pr-4 font-medium">
                          {review.reviewer.name}
                        </th>
                      ))}
                      <th scope="col" className="py-2 pr-4 font-medium">Spread</th>
                      <th scope="col" className="py-2 font-medium">Flag</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {summary.map((row) => (
                      <tr key={row.key} data-testid={`summary-${row.key}`}>
                        <th scope="row" className="py-2 pr-4 font-medium">
                          {questions[row.key].title}
                          {row.key === "risk" ? <span className="block text-xs font-normal text-slate-500">5 = highest risk</span> : null}
                        </th>
                        {reviews.map((review) => (
                          <td key={review.id} className="py-2 pr-4" title={review.scores?.[row.key].note}>
                            {review.scores?.[row.key].score ?? "—"}{" "}
                            <span className="text-xs text-slate-500">({review.scores?.[row.key].confidence.toLowerCase()})</span>
                          </td>
                        ))}
                        <td className="py-2 pr-4">{row.spread}</td>
                        <td className="py-2">{row.isDisagreement ? <Badge tone="amber">Disagreement</Badge> : null}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <ul className="mt-4 space-y-3 text-sm">
                {reviews.map((review) => (
                  <li key={review.id}>
                    <span className="font-medium">{review.reviewer.name}</span> recommends <strong>{recommendationLabels[review.recommendation]}</strong>
                    <span className="text-slate-500">
                      {" "}
                      · {formatDateTime(review.submittedAt)}
                      {review.revisionCount > 0 ? ` · revised ${review.revisionCount} time${review.revisionCount === 1 ? "" : "s"}` : ""}
                      {review.version !== application.currentVersion ? ` · scored version ${review.version}` : ""}
                    </span>
                    {review.scores ? (
                      <ul className="ml-4 list-disc text-slate-600">
                        {Object.entries(review.scores)
                          .filter(([, value]) => value.note)
                          .map(([key, value]) => (
                            <li key={key}>
                              {questions[key as keyof typeof questions].title}: {value.note}
                            </li>
                          ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            </Card>
          ) : (
            <Card title="Other reviews">
              <p className="text-sm text-slate-600">Reviews are independent: you see the other reviewers&apos; scores after you submit your own.</p>
            </Card>
          )}

          {isAdmin && workspace.isAwaiting ? (
            <Card title="Decision">
              {workspace.canDecide && workspace.proposedScopes ? (
                <DecisionForm applicationId={application.id} proposedScopes={workspace.proposedScopes} keyKind={application.stage === "PRODUCTION" ? "LIVE" : "DEVELOPMENT"} />
              ) : (
                <p className="text-sm text-slate-600">
                  A decision needs {workspace.required} submitted review{workspace.required === 1 ? "" : "s"}; {workspace.submittedCount} so far.
                </p>
              )}
            </Card>
          ) : null}

          {workspace.canScore ? (
            <Card title={ownReview ? "Your review (revise it below; the earlier version is kept)" : "Your scorecard"}>
              <ScorecardForm
                applicationId={application.id}
                initial={ownReview ? { scores: ownReview.scores, recommendation: ownReview.recommendation, suggestedScopes: ownReview.suggestedScopes } : null}
              />
              {ownReview && ownReview.revisions.length > 0 ? (
                <p className="mt-4 text-sm text-slate-500">
                  {ownReview.revisions.length} earlier version{ownReview.revisions.length === 1 ? "" : "s"} kept, the latest from {formatDateTime(ownReview.revisions[0]?.createdAt ?? new Date())}.
                </p>
              ) : null}
            </Card>
          ) : null}

          <Card title="Messages">
            {workspace.messages.length === 0 ? (
              <p className="mb-4 text-sm text-slate-600">No messages yet.</p>
            ) : (
              <ul className="mb-4 space-y-3 text-sm">
                {workspace.messages.map((message) => (
                  <li key={message.id} className={`rounded-md p-3 ${message.isInternal ? "bg-amber-50 ring-1 ring-amber-200" : "bg-slate-50"}`}>
                    <div className="text-xs text-slate-500">
                      {message.author.name} ({message.author.role.toLowerCase()}) · {formatDateTime(message.createdAt)}
                      {message.isInternal ? " · internal note" : ""}
                    </div>
                    <p className="mt-1 whitespace-pre-wrap">{message.body}</p>
                  </li>
                ))}
              </ul>
            )}
            <MessageForm applicationId={application.id} />
          </Card>
        </div>

        <div className="space-y-6">
          <Card title="Review">
            <dl className="space-y-2 text-sm">
              <div>
                <dt className="text-slate-500">Submitted</dt>
                <dd>{application.submittedAt ? `${formatDateTime(application.submittedAt)} (${formatAge(application.submittedAt)} ago)` : "—"}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Reviews</dt>
                <dd>
                  {workspace.submittedCount} of {workspace.required} required submitted
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Reviewers</dt>
                <dd>{application.assignments.length === 0 ? "Nobody yet" : application.assignments.map((row) => row.reviewer.name).join(", ")}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Submitted by</dt>
                <dd>
                  {application.createdBy.name} ({application.createdBy.email})
                </dd>
              </div>
            </dl>
            <div className="mt-4 space-y-4">
              {workspace.isAssigned ? <p className="text-sm font-medium text-green-800">You have claimed this application{ownReview ? " and submitted your review" : ""}.</p> : null}
              {workspace.canClaim ? <ClaimButton applicationId={application.id} /> : null}
              {!workspace.isAssigned && !workspace.canClaim && workspace.isAwaiting ? (
                <p className="text-sm text-slate-600">This application has all the reviewers it needs.</p>
              ) : null}
              {workspace.isAwaiting ? <ConflictForm applicationId={application.id} /> : null}
            </div>
          </Card>

          {isAdmin && workspace.isAwaiting ? (
            <Card title="Assign a reviewer">
              <AssignForm
                applicationId={application.id}
                reviewers={workspace.reviewers}
                assignees={application.assignments.map((row) => ({ reviewerId: row.reviewerId, email: row.reviewer.email }))}
              />
            </Card>
          ) : null}

          {workspace.decisions.length > 0 ? (
            <Card title="Decisions">
              <ul className="space-y-3 text-sm">
                {workspace.decisions.map((decision) => (
                  <li key={decision.id}>
                    <strong>{outcomeLabel(decision.outcome)}</strong> <span className="text-slate-500">· {formatDateTime(decision.createdAt)}</span>
                    {decision.message ? <p className="whitespace-pre-wrap">{decision.message}</p> : null}
                    {decision.conditions ? <p className="whitespace-pre-wrap">Conditions: {decision.conditions}</p> : null}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}

          <Card title="Timeline">
            <ol className="space-y-2 text-sm">
              {application.events.map((event) => (
                <li key={event.id} data-testid={`event-${event.type}`}>
                  <span className="font-medium">{eventLabel(event.type)}</span>
                  <span className="block text-xs text-slate-500">{formatDateTime(event.createdAt)}</span>
                </li>
              ))}
            </ol>
          </Card>
        </div>
      </div>
    </div>
  );
}
