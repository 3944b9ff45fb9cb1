"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { updateReviewSettings } from "@/lib/reviews/settings";
import { formDataToObject } from "@/lib/validation";

export async function updateReviewSettingsAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    await updateReviewSettings({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/settings");
    return { ok: true, message: "Review settings saved." };
  } catch (error) {
    return actionFailure(error);
  }
}
