"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { scheduleEmailDelivery } from "@/lib/notifications/email";
import {
  changeMemberRole,
  createInvitation,
  createOrganization,
  leaveOrganization,
  removeMember,
  revokeInvitation,
} from "@/lib/organizations/service";
import { formDataToObject } from "@/lib/validation";

export async function createOrganizationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  let organizationId: string;
  try {
    organizationId = (await createOrganization({ actor, input: formDataToObject(formData) })).id;
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath("/applicant");
  redirect(`/applicant/organizations/${organizationId}?created=1`);
}

export async function createInvitationAction(_previous: ActionResult<{ token: string }> | undefined, formData: FormData): Promise<ActionResult<{ token: string }>> {
  const actor = await requireArea("applicant");
  try {
    const invitation = await createInvitation({ actor, input: formDataToObject(formData) });
    revalidatePath(`/applicant/organizations/${String(formData.get("organizationId"))}`);
    return { ok: true, message: "Invitation link created. Copy it now: it is shown only once.", data: { token: invitation.token } };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function revokeInvitationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    await revokeInvitation({ actor, input: formDataToObject(formData) });
    revalidatePath("/applicant/organizations/[id]", "page");
    return { ok: true, message: "Invitation revoked." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function changeMemberRoleAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    const { role } = await changeMemberRole({ actor, input: formDataToObject(formData) });
    scheduleEmailDelivery();
    revalidatePath("/applicant/organizations/[id]", "page");
    return { ok: true, message: `Role changed to ${role === "OWNER" ? "owner" : "member"}.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function removeMemberAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    await removeMember({ actor, input: formDataToObject(formData) });
    scheduleEmailDelivery();
    revalidatePath("/applicant/organizations/[id]", "page");
    return { ok: true, message: "Member removed." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function leaveOrganizationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    await leaveOrganization({ actor, input: formDataToObject(formData) });
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath("/applicant");
  redirect("/applicant?left=1");
}
