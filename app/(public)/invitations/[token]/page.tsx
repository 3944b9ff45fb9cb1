import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitationForm } from "@/components/organizations/accept-invitation-form";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getSessionUser } from "@/lib/auth/session";
import { findInvitationByToken } from "@/lib/organizations/queries";
import { invitationRefusal } from "@/lib/organizations/service";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer", robots: { index: false } };

/** /invitations/[token]: shows which organisation invites you and lets a signed-in applicant accept. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([findInvitationByToken({ token }), getSessionUser()]);
  const here = `/invitations/${encodeURIComponent(token)}`;
  if (!invitation) {
    return (
      <Notice title="This invitation link is not valid">
        Check that you copied the whole link, or ask an owner of the organisation for a new one.
      </Notice>
    );
  }
  const { organization } = invitation;
  if (invitation.state !== "pending") {
    return <Notice title={`This invitation to ${organization.name} can no longer be used`}>{invitationRefusal(invitation.state)}</Notice>;
  }
  const active = user?.status === "ACTIVE" ? user : null;
  return (
    <div className="mx-auto max-w-lg">
      <Card title={`Join ${organization.name}`}>
        <div className="space-y-4 text-sm text-slate-700">
          <p>
            You are invited to join <strong>{organization.name}</strong> as {invitation.role === "OWNER" ? "an owner" : "a member"} on Gatehouse.
            {invitation.email ? ` This invitation is for ${invitation.email}.` : ""}
          </p>
          {organization.description ? <p className="whitespace-pre-line text-slate-600">{organization.description}</p> : null}
          {!active ? (
            <div className="space-y-3">
              <p>Sign in or create an account to accept; you will come back here.</p>
              <div className="flex flex-wrap gap-3">
                <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`} className={buttonClass("primary")}>
                  Sign in to accept
                </Link>
                <Link href={`/signup?callbackUrl=${encodeURIComponent(here)}`} className={buttonClass("secondary")}>
                  Create an account
                </Link>
              </div>
            </div>
          ) : active.role !== "APPLICANT" ? (
            <p role="alert">Only applicant accounts can join organisations; reviewers and admins stay independent of applicant teams.</p>
          ) : invitation.email && invitation.email !== active.email.toLowerCase() ? (
            <p role="alert">
              This invitation is for {invitation.email}, but you are signed in as {active.email}. Sign out and sign in with that account to accept it.
            </p>
          ) : (
            <AcceptInvitationForm token={token} organizationName={organization.name} />
          )}
        </div>
      </Card>
    </div>
  );
}

function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-lg">
      <Card title={title}>
        <p className="text-sm text-slate-700" role="alert">
          {children}
        </p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:underline">
          Back to the start
        </Link>
      </Card>
    </div>
  );
}
