"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { resolveAppeal, fileAppeal } from "@/lib/appeals/service";
import { requireArea } from "@/lib/auth/session";
import { decisionFromForm } from "@/lib/decisions/schema";
import { scheduleEmailDelivery } from "@/lib/notifications/email";
import { formDataToObject } from "@/lib/validation";

export async function fileAppealAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    const input = formDataToObject(formData);
    await fileAppeal({ actor, input });
    scheduleEmailDelivery();
    if (typeof input.applicationId === "string") revalidatePath(`/applicant/applications/${input.applicationId}`);
    return { ok: true, message: "Appeal sent. An administrator who did not make the decision will answer it; you will be notified." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function resolveAppealAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const form = formDataToObject(formData);
    const input = {
      appealId: form.appealId,
      result: form.result,
      reasons: form.reasons ?? "",
      ...(form.result === "APPROVE" ? { approval: decisionFromForm({ ...form, outcome: form.approvalOutcome }) } : {}),
    };
    const { status } = await resolveAppeal({ actor, input });
    scheduleEmailDelivery();
    revalidatePath("/admin/appeals");
    if (typeof form.appealId === "string") revalidatePath(`/admin/appeals/${form.appealId}`);
    return { ok: true, message: status === "UPHELD" ? "Appeal upheld: the decision stands. The applicant has been notified." : "Appeal granted. The applicant has been notified." };
  } catch (error) {
    return actionFailure(error);
  }
}
