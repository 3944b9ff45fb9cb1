"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { resolveModerationEvent, type ModerationResolution } from "@/lib/moderation/review-queue";
import { updateModerationSettings } from "@/lib/moderation/settings";
import { formDataToObject } from "@/lib/validation";

const doneMessages: Record<ModerationResolution, string> = {
  dismiss: "Dismissed.",
  warn: "Warning sent to the organisation.",
  suspend_key: "Key suspended; its organisation was told why.",
  suspend_organization: "Organisation's API access suspended; its members were told why.",
  revoke_key: "Key revoked; its organisation was told why.",
};

export async function resolveModerationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const { resolution } = await resolveModerationEvent({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/moderation");
    return { ok: true, message: doneMessages[resolution] };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function updateModerationSettingsAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    await updateModerationSettings({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/settings");
    return { ok: true, message: "Moderation settings saved." };
  } catch (error) {
    return actionFailure(error);
  }
}
