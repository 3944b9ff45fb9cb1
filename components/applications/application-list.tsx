// The applicant home's list of their organisations' applications: status, last update, pages of ten.
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { listApplicationsForUser } from "@/lib/applications/queries";
import { optionLabel } from "@/lib/applications/schema";
import type { SessionUser } from "@/lib/users/service";
import { ApplicationStatusBadge } from "./application-status-badge";
import { PageLinks, redirectPastLastPage } from "@/components/ui/pagination";
import { Table, TableBody, TableHead } from "@/components/ui/table";

const date = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** Self-contained: give it the user and the `applicationsPage` search parameter. */
export async function ApplicationList({
  user,
  page,
  basePath = "/applicant",
  hasOrganization,
}: {
  user: SessionUser;
  page?: string | string[];
  basePath?: string;
  /** Applications are filed by an organisation: without one, the first step is to create or join one. */
  hasOrganization: boolean;
}) {
  const { applications, total, page: current, pageCount } = await listApplicationsForUser({ actor: user, input: { page: typeof page === "string" ? page : undefined } });
  const pageHref = (target: number) => `${basePath}?applicationsPage=${target}`;
  redirectPastLastPage(current, pageCount, pageHref);
  return (
    <Card title="Your applications">
      {total === 0 ? (
        <div className="space-y-3">
          {hasOrganization ? (
            <>
              <p className="text-sm text-slate-600">You have no applications yet. Before you apply, check that your use case fits one of the categories below.</p>
              <Link href="/applicant/applications/new" className={buttonClass()}>
                Start an application
              </Link>
            </>
          ) : (
            <p className="text-sm text-slate-600">You have no applications yet. Once you have an organisation, you can start one here.</p>
          )}
        </div>
      ) : (
        <div className="space-y-4">
          <div className="flex justify-end">
            <Link href="/applicant/applications/new" className={buttonClass()}>
              Start an application
            </Link>
          </div>
          <Table label="Your applications">
            <TableHead columns={["Application", "Status", "Last updated"]} />
            <TableBody>
              {applications.map((application) => (
                <tr key={application.id}>
                  <td className="py-3 pr-4 align-top">
                    <Link href={`/applicant/applications/${application.id}`} className="font-medium text-indigo-700 hover:underline">
                      {application.productName || "Untitled application"}
                    </Link>
                    <div className="text-xs text-slate-500">
                      {application.organization.name} · {application.stage === "PRODUCTION" ? "Production review" : "Access request"}
                      {application.track === "ACADEMIC" ? ` · ${optionLabel(application.track)}` : ""}
                      {application.category ? ` · ${application.category.name}` : ""}
                    </div>
                  </td>
                  <td className="py-3 pr-4 align-top">
                    <ApplicationStatusBadge status={application.status} />
                  </td>
                  <td className="py-3 align-top text-slate-600">
                    <time dateTime={application.updatedAt.toISOString()}>{date.format(application.updatedAt)} UTC</time>
                  </td>
                </tr>
              ))}
            </TableBody>
          </Table>
          <PageLinks label="Applications pagination" page={current} pageCount={pageCount} hrefFor={pageHref} />
        </div>
      )}
    </Card>
  );
}
