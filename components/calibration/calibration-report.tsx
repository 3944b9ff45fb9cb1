// The calibration page's sections: agreement per question, reviewer deviation, widest disagreements, time to
// decision by stage and track, and the overdue items. Every number is shown with its n.
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";
import type { CalibrationReport } from "@/lib/calibration/queries";

const stageLabels = { ACCESS: "Access request", PRODUCTION: "Production review" } as const;
const trackLabels = { STANDARD: "Standard", ACADEMIC: "Academic" } as const;
const statusLabels = { SUBMITTED: "Submitted", IN_REVIEW: "In review" } as const;

const fixed = (value: number, digits = 2) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signed = (value: number) => `${value > 0 ? "+" : value < 0 ? "−" : ""}${fixed(Math.abs(value))}`;
const percent = (value: number | undefined) => (value === undefined ? "—" : `${Math.round(value * 100)} %`);

/** Hours as "5.5 h" under two days, "3.2 d" above; "—" when there is nothing to show. */
export function formatHours(hours: number | undefined): string {
  if (hours === undefined) return "—";
  return hours < 48 ? `${fixed(hours, 1)} h` : `${fixed(hours / 24, 1)} d`;
}

const NOT_ENOUGH = "not enough data";

export function CalibrationReportView({ report }: { report: CalibrationReport }) {
  const hasAgreementData = report.agreement.some((row) => row.result.units > 0);
  const cell = "py-2 pr-4";
  const numeric = "py-2 pr-4 text-right tabular-nums";
  return (
    <>
      <Card title="Agreement between reviewers">
        <p className="mb-2 text-sm text-slate-600">
          Krippendorff&apos;s alpha for ordinal data per question, over the applications with two or more reviews in this period: 1 is perfect agreement, 0 is no better
          than chance. Values of 0.8 and above are usually taken as reliable.
        </p>
        {hasAgreementData ? (
          <Table label="Agreement per question">
            <TableHead columns={["Question", "Alpha (ordinal)", "Applications", "Pairable scores"]} />
            <TableBody>
              {report.agreement.map((row) => (
                <tr key={row.key} data-testid="agreement-row">
                  <th scope="row" className={`${cell} font-medium`}>{row.title}</th>
                  <td className={numeric}>{row.result.alpha === undefined ? <span className="text-slate-600">{NOT_ENOUGH}</span> : fixed(row.result.alpha, 3)}</td>
                  <td className={numeric}>{row.result.units}</td>
                  <td className={numeric}>{row.result.pairableValues}</td>
                </tr>
              ))}
            </TableBody>
          </Table>
        ) : (
          <EmptyState>Not enough reviews in this period: no application has two reviews yet.</EmptyState>
        )}
      </Card>

      <Card title="Reviewers' deviation from the others">
        <p className="mb-2 text-sm text-slate-600">
          Each reviewer&apos;s mean of (their score − the mean of the other reviewers&apos; scores) on the same application and question. Positive scores higher
          than colleagues; largest deviation first.
        </p>
        {report.deviations.length === 0 ? (
          <EmptyState>Not enough reviews in this period to compare reviewers.</EmptyState>
        ) : (
          <Table label="Reviewer deviation">
            <TableHead columns={["Reviewer", "Mean deviation", "Scores compared"]} />
            <TableBody>
              {report.deviations.map((row) => (
                <tr key={row.reviewerId} data-testid="deviation-row">
                  <th scope="row" className={`${cell} font-medium`}>{row.reviewerName}</th>
                  <td className={numeric}>{signed(row.meanDeviation)}</td>
                  <td className={numeric}>{row.scores}</td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>

      <Card title="Widest disagreements">
        <p className="mb-2 text-sm text-slate-600">The ten applications whose reviewers&apos; scores on one question are furthest apart (highest minus lowest).</p>
        {report.spreads.length === 0 ? (
          <EmptyState>Not enough reviews in this period: no application has two reviews yet.</EmptyState>
        ) : (
          <Table label="Widest disagreements">
            <TableHead columns={["Application", "Spread", "Question", "Reviews"]} />
            <TableBody>
              {report.spreads.map((row) => (
                <tr key={row.applicationId} data-testid="spread-row">
                  <td className={cell}>
                    <Link href={`/review/applications/${row.applicationId}`} className="font-medium text-indigo-700 hover:underline">
                      {row.productName}
                    </Link>
                  </td>
                  <td className={numeric}>{row.spread}</td>
                  <td className={cell}>{row.questionTitle}</td>
                  <td className={numeric}>{row.reviews}</td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>

      <Card title="Time to first review and to decision">
        <p className="mb-2 text-sm text-slate-600">
          For applications submitted in this period: hours from submission to the first review and to the first decision (median p50 and p90, nearest rank), and the
          share of decisions made within the target set on the settings page.
        </p>
        <Table label="Time to first review and to decision">
          <TableHead columns={["Stage", "Track", "Submitted", "First review p50", "First review p90", "Reviewed", "Decision p50", "Decision p90", "Decided", "Target", "Within target"]} />
          <TableBody>
            {report.timing.map((row) => (
              <tr key={`${row.stage}-${row.track}`} data-testid="timing-row">
                <th scope="row" className={`${cell} font-medium`}>{stageLabels[row.stage]}</th>
                <td className={cell}>{trackLabels[row.track]}</td>
                <td className={numeric}>{row.submitted}</td>
                <td className={numeric}>{formatHours(row.firstReview.p50)}</td>
                <td className={numeric}>{formatHours(row.firstReview.p90)}</td>
                <td className={numeric}>{row.firstReview.n}</td>
                <td className={numeric}>{formatHours(row.decision.p50)}</td>
                <td className={numeric}>{formatHours(row.decision.p90)}</td>
                <td className={numeric}>{row.decision.n}</td>
                <td className={numeric}>{row.targetHours} h</td>
                <td className={numeric}>{percent(row.withinTarget)}</td>
              </tr>
            ))}
          </TableBody>
        </Table>
        <p className="mt-2 text-xs text-slate-600">“—” means no application in that group reached that step in this period.</p>
      </Card>

      <Card title={`Overdue items (${report.overdueCount})`}>
        <p className="mb-2 text-sm text-slate-600">
          Submitted or in review, undecided, and older than their decision target, oldest first. Each assigned reviewer is reminded once, in the app and by email.
          {report.overdueCount > report.overdue.length ? ` Showing the oldest ${report.overdue.length}.` : ""}
        </p>
        {report.overdue.length === 0 ? (
          <EmptyState>Nothing is overdue.</EmptyState>
        ) : (
          <Table label="Overdue items">
            <TableHead columns={["Application", "Stage", "Status", "Age", "Target", "Assigned to"]} />
            <TableBody>
              {report.overdue.map((row) => (
                <tr key={row.id} data-testid="overdue-row">
                  <td className={cell}>
                    <Link href={`/review/applications/${row.id}`} className="font-medium text-indigo-700 hover:underline">
                      {row.productName || "Untitled application"}
                    </Link>
                    <span className="block text-xs text-slate-600">{row.organization.name}</span>
                  </td>
                  <td className={cell}>
                    {stageLabels[row.stage]}, {trackLabels[row.track].toLowerCase()}
                  </td>
                  <td className={cell}>{row.status === "SUBMITTED" || row.status === "IN_REVIEW" ? statusLabels[row.status] : row.status}</td>
                  <td className={numeric}>{formatHours(row.ageHours)}</td>
                  <td className={numeric}>{row.targetHours} h</td>
                  <td className={cell}>{row.assignees.length === 0 ? <span className="text-slate-600">Nobody</span> : row.assignees.join(", ")}</td>
                </tr>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </>
  );
}
