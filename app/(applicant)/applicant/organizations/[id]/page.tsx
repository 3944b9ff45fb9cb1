import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { InviteForm } from "@/components/organizations/invite-form";
import { OrganizationNotices } from "@/components/organizations/organization-notices";
import { LeaveOrganizationButton, MemberRowActions, RevokeInvitationButton } from "@/components/organizations/member-actions";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/form-message";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getOrganizationForMember } from "@/lib/organizations/queries";
import { orgRoleLabel } from "@/lib/organizations/schema";
import { Table, TableBody, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Organisation" };

const formatDate = (date: Date) => date.toISOString().slice(0, 10);

export default async function OrganizationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const actor = await requireArea("applicant", `/applicant/organizations/${id}`);
  const view = await getOrganizationForMember({ actor, organizationId: id }).catch((error: unknown) => {
    if (isAppError(error) && error.kind === "not_found") notFound();
    throw error;
  });
  const { organization, members, invitations, viewerRole, warnings } = view;
  const isOwner = viewerRole === "OWNER";
  return (
    <div className="space-y-6">
      <PageHeader title={organization.name} description={`You are ${isOwner ? "an owner" : "a member"} of this organisation.`}>
        <Link href="/applicant" className="text-sm font-medium text-indigo-700 hover:underline">
          Back to my applications
        </Link>
      </PageHeader>
      {query.created === "1" ? <FormMessage tone="success" message="Organisation created. Invite your teammates below." /> : null}
      {query.joined === "1" ? <FormMessage tone="success" message={`Welcome to ${organization.name}.`} /> : null}
      <OrganizationNotices suspendedAt={organization.suspendedAt} suspendedReason={organization.suspendedReason} warnings={warnings} />
      <Card title="About">
        <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="font-medium text-slate-700">Website</dt>
          <dd>
            {organization.website ? (
              <a href={organization.website} rel="noopener noreferrer nofollow" className="text-indigo-700 hover:underline">
                {organization.website}
              </a>
            ) : (
              <span className="text-slate-500">None given</span>
            )}
          </dd>
          <dt className="font-medium text-slate-700">Description</dt>
          <dd className="whitespace-pre-line">{organization.description || <span className="text-slate-500">None given</span>}</dd>
          <dt className="font-medium text-slate-700">Created</dt>
          <dd>{formatDate(organization.createdAt)}</dd>
        </dl>
      </Card>
      <Card title={`Members (${members.length})`}>
        <Table label="Members">
          <TableHead columns={["Member", "Role", "Joined", "Actions"]} />
          <TableBody>
            {members.map((member) => (
              <tr key={member.id} data-testid={`member-row-${member.email}`}>
                <td className="py-3 pr-4 align-top">
                  <div className="font-medium">
                    {member.name}
                    {member.id === actor.id ? <span className="text-slate-500"> (you)</span> : null}
                  </div>
                  <div className="text-slate-500">{member.email}</div>
                </td>
                <td className="py-3 pr-4 align-top">
                  <Badge tone={member.role === "OWNER" ? "indigo" : "slate"}>{orgRoleLabel(member.role)}</Badge>
                </td>
                <td className="py-3 pr-4 align-top">{formatDate(member.joinedAt)}</td>
                {isOwner ? (
                  <td className="py-3 align-top">{member.id === actor.id ? null : <MemberRowActions organizationId={organization.id} member={member} />}</td>
                ) : null}
              </tr>
            ))}
          </TableBody>
        </Table>
      </Card>
      {isOwner ? (
        <>
          <Card title="Invite a teammate">
            <InviteForm organizationId={organization.id} />
          </Card>
          <Card title="Pending invitations">
            {invitations.length === 0 ? (
              <p className="text-sm text-slate-600">No pending invitations.</p>
            ) : (
              <ul className="divide-y divide-slate-100 text-sm">
                {invitations.map((invitation) => (
                  <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-2 py-3" data-testid="pending-invitation">
                    <div>
                      <span className="font-medium">{invitation.email ?? "Anyone with the link"}</span> as {orgRoleLabel(invitation.role).toLowerCase()}
                      <div className="text-slate-500">
                        Created {formatDate(invitation.createdAt)}, expires {formatDate(invitation.expiresAt)}
                      </div>
                    </div>
                    <RevokeInvitationButton invitationId={invitation.id} label={invitation.email ? `for ${invitation.email}` : "link"} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      ) : null}
      <Card title="Leave">
        <p className="mb-4 text-sm text-slate-600">
          {isOwner && view.ownerCount <= 1
            ? "You are the only owner: make another member an owner before you leave."
            : "Leaving removes your access to this organisation."}
        </p>
        <LeaveOrganizationButton organizationId={organization.id} organizationName={organization.name} />
      </Card>
    </div>
  );
}
