"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { markModerationEventReviewed } from "@/lib/moderation/review-queue";
import { formDataToObject } from "@/lib/validation";

export async function markReviewedAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    await markModerationEventReviewed({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/moderation");
    return { ok: true, message: "Marked reviewed." };
  } catch (error) {
    return actionFailure(error);
  }
}
