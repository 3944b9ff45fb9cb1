"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { scheduleEmailDelivery } from "@/lib/notifications/email";
import { bulkInputFromForm, type BulkPlan, previewBulkAction, runBulkAction, type BulkItem } from "@/lib/reviews/bulk";
import { deleteView, renameView, saveView } from "@/lib/reviews/views";
import { formDataToObject } from "@/lib/validation";

export async function saveViewAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("review");
  try {
    const view = await saveView({ actor, input: formDataToObject(formData) });
    revalidatePath("/review");
    return { ok: true, message: `Saved as “${view.name}”.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function renameViewAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("review");
  try {
    await renameView({ actor, input: formDataToObject(formData) });
    revalidatePath("/review");
    return { ok: true, message: "View renamed." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function deleteViewAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("review");
  try {
    await deleteView({ actor, input: formDataToObject(formData) });
    revalidatePath("/review");
    return { ok: true, message: "View deleted." };
  } catch (error) {
    return actionFailure(error);
  }
}

export type BulkStep = { step: "preview"; plan: BulkPlan } | { step: "done"; done: BulkItem[]; skipped: BulkPlan["skipped"] };

/** One action for both steps, so the result of confirming replaces the preview: `step` is "preview" or "run". */
export async function bulkQueueAction(_previous: ActionResult<BulkStep> | undefined, formData: FormData): Promise<ActionResult<BulkStep>> {
  const actor = await requireArea("review");
  try {
    const form = formDataToObject(formData);
    const input = bulkInputFromForm(form);
    if (form.step !== "run") {
      const plan = await previewBulkAction({ actor, input });
      return { ok: true, data: { step: "preview", plan } };
    }
    const result = await runBulkAction({ actor, input });
    scheduleEmailDelivery();
    revalidatePath("/review");
    return { ok: true, message: result.message, data: { step: "done", done: result.done, skipped: result.skipped } };
  } catch (error) {
    return actionFailure(error);
  }
}
