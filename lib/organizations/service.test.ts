import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getOrganizationForMember, findInvitationByToken, listMyOrganizations } from "@/lib/organizations/queries";
import {
  acceptInvitation,
  changeMemberRole,
  createInvitation,
  createOrganization,
  leaveOrganization,
  removeMember,
  revokeInvitation,
} from "@/lib/organizations/service";
import { createUser } from "@/tests/support/factories";
import { createOrganizationWith } from "@/tests/support/orgs-factories";

const DAY = 24 * 60 * 60 * 1000;

describe("organisations", () => {
  it("an applicant creates an organisation and becomes its owner", async () => {
    const applicant = await createUser();
    const org = await createOrganization({ actor: applicant, input: { name: "  Acme  ", website: "https://acme.example", description: "We build things." } });
    expect(org.name).toBe("Acme");
    await expect(listMyOrganizations({ actor: applicant })).resolves.toEqual([expect.objectContaining({ id: org.id, role: "OWNER", memberCount: 1 })]);
    const audit = await db.auditLog.findFirst({ where: { action: "organization.created", targetId: org.id } });
    expect(audit?.actorId).toBe(applicant.id);
  });

  it("validates the name and the website", async () => {
    const applicant = await createUser();
    await expect(createOrganization({ actor: applicant, input: { name: "", website: "not a url" } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { name: ["Enter the organisation's name."], website: [expect.stringContaining("https://")] },
    });
    await expect(createOrganization({ actor: applicant, input: { name: "No site", website: "" } })).resolves.toMatchObject({ name: "No site" });
  });

  it("reviewers and admins cannot create organisations", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    await expect(createOrganization({ actor: reviewer, input: { name: "R" } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("an outsider gets not found for another organisation's page and actions", async () => {
    const owner = await createUser();
    const outsider = await createUser();
    const member = await createUser();
    const org = await createOrganizationWith({ owner, members: [member] });
    await expect(getOrganizationForMember({ actor: outsider, organizationId: org.id })).rejects.toMatchObject({ kind: "not_found" });
    await expect(createInvitation({ actor: outsider, input: { organizationId: org.id } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(removeMember({ actor: outsider, input: { organizationId: org.id, userId: member.id } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(changeMemberRole({ actor: outsider, input: { organizationId: org.id, userId: member.id, role: "OWNER" } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(leaveOrganization({ actor: outsider, input: { organizationId: org.id } })).rejects.toMatchObject({ kind: "not_found" });
    const { id: invitationId } = await createInvitation({ actor: owner, input: { organizationId: org.id } });
    await expect(revokeInvitation({ actor: outsider, input: { invitationId } })).rejects.toMatchObject({ kind: "not_found" });
  });

  it("a member is forbidden the owners' actions and sees no invitations", async () => {
    const owner = await createUser();
    const member = await createUser();
    const other = await createUser();
    const org = await createOrganizationWith({ owner, members: [member, other] });
    const { id: invitationId } = await createInvitation({ actor: owner, input: { organizationId: org.id } });
    await expect(createInvitation({ actor: member, input: { organizationId: org.id } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(revokeInvitation({ actor: member, input: { invitationId } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(removeMember({ actor: member, input: { organizationId: org.id, userId: other.id } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(changeMemberRole({ actor: member, input: { organizationId: org.id, userId: member.id, role: "OWNER" } })).rejects.toMatchObject({ kind: "forbidden" });
    const view = await getOrganizationForMember({ actor: member, organizationId: org.id });
    expect(view.viewerRole).toBe("MEMBER");
    expect(view.invitations).toEqual([]);
    expect(view.members).toHaveLength(3);
  });

  it("the last owner can neither leave, be removed nor be demoted", async () => {
    const owner = await createUser();
    const member = await createUser();
    const org = await createOrganizationWith({ owner, members: [member] });
    await expect(leaveOrganization({ actor: owner, input: { organizationId: org.id } })).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining("at least one owner") });
    await expect(changeMemberRole({ actor: owner, input: { organizationId: org.id, userId: owner.id, role: "MEMBER" } })).rejects.toMatchObject({ kind: "conflict" });
    await expect(removeMember({ actor: owner, input: { organizationId: org.id, userId: owner.id } })).rejects.toMatchObject({ kind: "conflict" });
    // With a second owner the first may step down and then leave.
    await changeMemberRole({ actor: owner, input: { organizationId: org.id, userId: member.id, role: "OWNER" } });
    await changeMemberRole({ actor: owner, input: { organizationId: org.id, userId: owner.id, role: "MEMBER" } });
    await leaveOrganization({ actor: owner, input: { organizationId: org.id } });
    const view = await getOrganizationForMember({ actor: member, organizationId: org.id });
    expect(view.members.map((row) => [row.id, row.role])).toEqual([[member.id, "OWNER"]]);
  });

  it("an owner removes a member, who is notified and loses access", async () => {
    const owner = await createUser();
    const member = await createUser();
    const org = await createOrganizationWith({ owner, members: [member] });
    await removeMember({ actor: owner, input: { organizationId: org.id, userId: member.id } });
    await expect(getOrganizationForMember({ actor: member, organizationId: org.id })).rejects.toMatchObject({ kind: "not_found" });
    await expect(db.notification.count({ where: { userId: member.id } })).resolves.toBe(1);
  });

  it("a member can leave", async () => {
    const owner = await createUser();
    const member = await createUser();
    const org = await createOrganizationWith({ owner, members: [member] });
    await leaveOrganization({ actor: member, input: { organizationId: org.id } });
    await expect(listMyOrganizations({ actor: member })).resolves.toEqual([]);
  });
});

describe("invitations", () => {
  it("stores only the token's hash, and accepting joins with the invited role and notifies the owners", async () => {
    const owner = await createUser();
    const invitee = await createUser();
    const org = await createOrganizationWith({ owner });
    const { token, id } = await createInvitation({ actor: owner, input: { organizationId: org.id, role: "OWNER" } });
    const row = await db.invitation.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).not.toContain(token);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(6.9 * DAY);
    await expect(findInvitationByToken({ token })).resolves.toMatchObject({ state: "pending", organization: { id: org.id } });

    await expect(acceptInvitation({ actor: invitee, input: { token } })).resolves.toMatchObject({ organizationId: org.id, role: "OWNER" });
    await expect(listMyOrganizations({ actor: invitee })).resolves.toEqual([expect.objectContaining({ id: org.id, role: "OWNER" })]);
    const notification = await db.notification.findFirstOrThrow({ where: { userId: owner.id } });
    expect(notification.href).toBe(`/applicant/organizations/${org.id}`);
    await expect(db.outboxEmail.count({ where: { to: owner.email } })).resolves.toBe(1);
  });

  it("a link is single-use", async () => {
    const owner = await createUser();
    const org = await createOrganizationWith({ owner });
    const { token } = await createInvitation({ actor: owner, input: { organizationId: org.id } });
    await acceptInvitation({ actor: await createUser(), input: { token } });
    await expect(acceptInvitation({ actor: await createUser(), input: { token } })).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining("already been used") });
    await expect(findInvitationByToken({ token })).resolves.toMatchObject({ state: "used" });
  });

  it("an expired link is refused", async () => {
    const owner = await createUser();
    const org = await createOrganizationWith({ owner });
    const { token } = await createInvitation({ actor: owner, input: { organizationId: org.id }, now: new Date(Date.now() - 8 * DAY) });
    await expect(acceptInvitation({ actor: await createUser(), input: { token } })).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining("expired") });
    await expect(findInvitationByToken({ token })).resolves.toMatchObject({ state: "expired" });
  });

  it("a revoked link is refused, and only pending links can be revoked", async () => {
    const owner = await createUser();
    const org = await createOrganizationWith({ owner });
    const { token, id } = await createInvitation({ actor: owner, input: { organizationId: org.id } });
    await revokeInvitation({ actor: owner, input: { invitationId: id } });
    await expect(acceptInvitation({ actor: await createUser(), input: { token } })).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining("revoked") });
    await expect(revokeInvitation({ actor: owner, input: { invitationId: id } })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("an email-bound link refuses another account and accepts the invited one", async () => {
    const owner = await createUser();
    const invitee = await createUser();
    const org = await createOrganizationWith({ owner });
    const { token } = await createInvitation({ actor: owner, input: { organizationId: org.id, email: invitee.email.toUpperCase() } });
    await expect(acceptInvitation({ actor: await createUser(), input: { token } })).rejects.toMatchObject({ kind: "forbidden", message: expect.stringContaining(invitee.email) });
    await expect(acceptInvitation({ actor: invitee, input: { token } })).resolves.toMatchObject({ organizationId: org.id, role: "MEMBER" });
  });

  it("an unknown token is not found, and an existing member cannot use a link", async () => {
    const owner = await createUser();
    const member = await createUser();
    const org = await createOrganizationWith({ owner, members: [member] });
    await expect(acceptInvitation({ actor: member, input: { token: "x".repeat(43) } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(findInvitationByToken({ token: "x".repeat(43) })).resolves.toBeNull();
    const { token } = await createInvitation({ actor: owner, input: { organizationId: org.id } });
    await expect(acceptInvitation({ actor: member, input: { token } })).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining("already a member") });
    await expect(findInvitationByToken({ token })).resolves.toMatchObject({ state: "pending" });
  });

  it("staff accounts cannot join applicant organisations", async () => {
    const owner = await createUser();
    const org = await createOrganizationWith({ owner });
    const { token } = await createInvitation({ actor: owner, input: { organizationId: org.id } });
    await expect(acceptInvitation({ actor: await createUser({ role: "REVIEWER" }), input: { token } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("owners see pending invitations only", async () => {
    const owner = await createUser();
    const org = await createOrganizationWith({ owner });
    const pending = await createInvitation({ actor: owner, input: { organizationId: org.id } });
    const revoked = await createInvitation({ actor: owner, input: { organizationId: org.id } });
    await revokeInvitation({ actor: owner, input: { invitationId: revoked.id } });
    const view = await getOrganizationForMember({ actor: owner, organizationId: org.id });
    expect(view.invitations.map((row) => row.id)).toEqual([pending.id]);
  });
});
