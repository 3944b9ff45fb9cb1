"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { outcomeLabel } from "@/lib/decisions/outcomes";
import { decisionFromForm } from "@/lib/decisions/schema";
import { decideApplication } from "@/lib/decisions/service";
import { scheduleEmailDelivery } from "@/lib/notifications/email";
import { formDataToObject } from "@/lib/validation";

export async function decideApplicationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const form = formDataToObject(formData);
    const { decision } = await decideApplication({ actor, input: { applicationId: form.applicationId, ...decisionFromForm(form) } });
    scheduleEmailDelivery();
    revalidatePath("/review");
    if (typeof form.applicationId === "string") revalidatePath(`/review/applications/${form.applicationId}`);
    return { ok: true, message: `Decision recorded: ${outcomeLabel(decision.outcome)}. The applicant has been notified.` };
  } catch (error) {
    return actionFailure(error);
  }
}
