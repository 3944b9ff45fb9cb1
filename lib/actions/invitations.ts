"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireUser } from "@/lib/auth/session";
import { scheduleEmailDelivery } from "@/lib/notifications/email";
import { acceptInvitation } from "@/lib/organizations/service";
import { formDataToObject } from "@/lib/validation";

export async function acceptInvitationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireUser();
  let organizationId: string;
  try {
    organizationId = (await acceptInvitation({ actor, input: formDataToObject(formData) })).organizationId;
  } catch (error) {
    return actionFailure(error);
  }
  scheduleEmailDelivery();
  revalidatePath("/applicant");
  redirect(`/applicant/organizations/${organizationId}?joined=1`);
}
