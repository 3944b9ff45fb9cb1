import type { Metadata } from "next";
import Link from "next/link";
import { AutoAssignmentConfirm } from "@/components/reviews/auto-assignment-confirm";
import { CategoryFilter, StageFilter } from "@/components/reviews/queue-filters";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/form-message";
import { PageLinks } from "@/components/ui/pagination";
import { EmptyState, Table, TableBody, TableHead } from "@/components/ui/table";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { listAssignableStaff, previewAutoAssignment } from "@/lib/reviews/auto-assignment";
import { listQueueCategories } from "@/lib/reviews/queries";
import { getReviewSettings } from "@/lib/reviews/settings";

export const metadata: Metadata = { title: "Automatic assignment" };

const PAGE_SIZE = 50;
const stageLabels = { ACCESS: "Access request", PRODUCTION: "Production review" } as const;
const cell = "py-2 pr-4 align-top last:pr-0";

export default async function AutoAssignmentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/assignment");
  const params = await searchParams;
  const single = (key: string) => (typeof params[key] === "string" ? params[key] : undefined);
  const chosen = ([] as string[]).concat(params.reviewer ?? []);
  const isPreview = single("preview") === "1";
  const scope = { stage: single("stage"), category: single("category"), reviewer: chosen };
  const [staff, categories, settings, preview] = await Promise.all([
    listAssignableStaff({ actor }),
    listQueueCategories(),
    getReviewSettings(),
    isPreview
      ? previewAutoAssignment({ actor, input: scope }).catch((error: unknown) => {
          // A scope that does not parse is answered on the page, next to the form that chose it.
          if (isAppError(error) && error.kind === "invalid") return error;
          throw error;
        })
      : undefined,
  ]);
  const isChecked = (member: (typeof staff)[number]) => (isPreview ? chosen.includes(member.id) : member.role === "REVIEWER");
  const assignedCount = Number(single("assigned") ?? "");
  const page = Math.max(1, Math.floor(Number(single("page") ?? "1")) || 1);
  const pageHref = (target: number) => {
    const query = new URLSearchParams({ preview: "1", ...(scope.stage ? { stage: scope.stage } : {}), ...(scope.category ? { category: scope.category } : {}) });
    for (const id of chosen) query.append("reviewer", id);
    query.set("page", String(target));
    return `/admin/assignment?${query.toString()}`;
  };

  return (
    <div className="space-y-6">
      <PageHeader
        title="Automatic assignment"
        description={`Fills the empty reviewer slots of applications awaiting review, spread as evenly as possible over the reviewers you choose: never a reviewer with a conflict of interest, never one from the applying organisation, and nobody past the load cap of ${settings.maxOpenAssignmentsPerReviewer} open assignments.`}
      >
        <Link href="/admin/settings" className={buttonClass("secondary")}>
          Change the load cap
        </Link>
      </PageHeader>
      {Number.isInteger(assignedCount) && assignedCount > 0 ? (
        <FormMessage
          tone="success"
          message={`Assigned ${assignedCount} review${assignedCount === 1 ? "" : "s"} on ${single("applications") ?? "?"} application${single("applications") === "1" ? "" : "s"}; ${single("reviewers") ?? "?"} reviewer${single("reviewers") === "1" ? " was" : "s were"} notified.`}
        />
      ) : null}
      <Card title="What to assign">
        <form method="get" action="/admin/assignment" className="space-y-4 text-sm" aria-label="What to assign">
          <input type="hidden" name="preview" value="1" />
          <div className="flex flex-wrap gap-3">
            <StageFilter id="assign-stage" defaultValue={scope.stage} />
            <CategoryFilter id="assign-category" defaultValue={scope.category} categories={categories} />
          </div>
          <fieldset aria-describedby={isAppError(preview) && preview.fieldErrors?.reviewer ? "assign-reviewer-error" : undefined}>
            <legend className="font-medium text-slate-800">Reviewers (open assignments now)</legend>
            {staff.length === 0 ? (
              <EmptyState>
                There is no active reviewer yet. <Link href="/admin/users" className="font-medium text-indigo-700 hover:underline">Give an account the reviewer role</Link>.
              </EmptyState>
            ) : (
              <ul className="mt-2 grid gap-1 sm:grid-cols-2">
                {staff.map((member) => (
                  <li key={member.id}>
                    <label className="flex items-center gap-2">
                      <input type="checkbox" name="reviewer" value={member.id} defaultChecked={isChecked(member)} />
                      <span>
                        {member.name} ({member.email}) · {member.role === "ADMIN" ? "administrator" : "reviewer"} · {member.openLoad} open
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
            {isAppError(preview) && preview.fieldErrors?.reviewer ? (
              <p id="assign-reviewer-error" className="mt-1 text-red-700">
                {preview.fieldErrors.reviewer[0]}
              </p>
            ) : null}
          </fieldset>
          <Button type="submit">Preview automatic assignment</Button>
        </form>
      </Card>

      {isAppError(preview) ? (
        <Card>
          <p role="alert" className="text-sm text-red-700">
            {preview.message}
          </p>
        </Card>
      ) : preview ? (
        <>
          <Card title="Preview">
            <p className="mb-4 text-sm text-slate-700" data-testid="auto-assignment-summary">
              {preview.applicationCount === 0
                ? "No application in this scope needs a reviewer."
                : `${preview.applicationCount} application${preview.applicationCount === 1 ? " needs" : "s need"} reviewers: this plan makes ${preview.assignments.length} assignment${preview.assignments.length === 1 ? "" : "s"}${preview.unstaffed.length > 0 ? `, and ${preview.unstaffed.length} cannot be fully staffed` : ""}. Nothing changes until you confirm.`}
            </p>
            {preview.assignments.length > 0 ? (
              <AutoAssignmentConfirm
                // A new plan starts its confirmation afresh (a refusal of the previous plan does not linger).
                key={preview.digest}
                scope={{ stage: scope.stage, category: scope.category, reviewer: chosen }}
                digest={preview.digest}
                assignments={preview.assignments.length}
                applications={new Set(preview.assignments.map((row) => row.application.id)).size}
              />
            ) : null}
          </Card>
          <Card title="Resulting loads">
            <Table label="Resulting loads per reviewer">
              <TableHead columns={["Reviewer", "Open now", "After", "Load cap"]} />
              <TableBody>
                {preview.loads.map((row) => (
                  <tr key={row.reviewer.id} data-testid={`load-${row.reviewer.email}`}>
                    <th scope="row" className={`${cell} font-medium`}>
                      {row.reviewer.name} <span className="font-normal text-slate-600">({row.reviewer.email})</span>
                    </th>
                    <td className={cell}>{row.before}</td>
                    <td className={cell}>
                      {row.before} → {row.after} {row.after > row.before ? <span className="text-slate-600">(+{row.after - row.before})</span> : null}{" "}
                      {row.after >= preview.cap ? <Badge tone="amber">at cap</Badge> : null}
                    </td>
                    <td className={cell}>{preview.cap}</td>
                  </tr>
                ))}
              </TableBody>
            </Table>
          </Card>
          <Card title="Proposed assignments">
            {preview.assignments.length === 0 ? (
              <EmptyState>Nothing to assign: every application in scope is staffed, or no chosen reviewer may take one.</EmptyState>
            ) : (
              <>
                <Table label="Proposed assignments">
                  <TableHead columns={["Application", "Organisation", "Stage", "Reviewer"]} />
                  <TableBody>
                    {preview.assignments.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(({ application, reviewer }) => (
                      <tr key={`${application.id}-${reviewer.id}`}>
                        <td className={cell}>
                          <Link href={`/review/applications/${application.id}`} className="font-medium text-indigo-700 hover:underline">
                            {application.productName}
                          </Link>
                        </td>
                        <td className={cell}>{application.organizationName}</td>
                        <td className={cell}>{stageLabels[application.stage]}</td>
                        <td className={cell}>{reviewer.name} ({reviewer.email})</td>
                      </tr>
                    ))}
                  </TableBody>
                </Table>
                <PageLinks page={page} pageCount={Math.ceil(preview.assignments.length / PAGE_SIZE)} hrefFor={pageHref} label="Proposed assignments pages" />
              </>
            )}
          </Card>
          <Card title="Cannot be fully staffed">
            {preview.unstaffed.length === 0 ? (
              <EmptyState>Every application in scope gets all the reviewers it needs.</EmptyState>
            ) : (
              <Table label="Applications that cannot be fully staffed">
                <TableHead columns={["Application", "Reviewers needed", "Planned", "Why"]} />
                <TableBody>
                  {preview.unstaffed.slice(0, 100).map(({ application, needed, planned, reason }) => (
                    <tr key={application.id}>
                      <td className={cell}>
                        <Link href={`/review/applications/${application.id}`} className="font-medium text-indigo-700 hover:underline">
                          {application.productName}
                        </Link>{" "}
                        <span className="text-slate-600">({application.organizationName})</span>
                      </td>
                      <td className={cell}>{needed}</td>
                      <td className={cell}>{planned}</td>
                      <td className={cell}>{reason}</td>
                    </tr>
                  ))}
                </TableBody>
              </Table>
            )}
            {preview.unstaffed.length > 100 ? <p className="mt-2 text-sm text-slate-600">The first 100 of {preview.unstaffed.length} are listed.</p> : null}
          </Card>
        </>
      ) : null}
    </div>
  );
}
