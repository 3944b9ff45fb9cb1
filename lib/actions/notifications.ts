"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireUser } from "@/lib/auth/session";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/service";
import { formDataToObject } from "@/lib/validation";

export async function markNotificationReadAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireUser();
  try {
    await markNotificationRead({ actor, input: formDataToObject(formData) });
    revalidatePath("/", "layout");
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function markAllNotificationsReadAction(): Promise<ActionResult> {
  const actor = await requireUser();
  const count = await markAllNotificationsRead({ actor });
  revalidatePath("/", "layout");
  return { ok: true, message: count === 0 ? "Nothing was unread." : `Marked ${count} notification${count === 1 ? "" : "s"} as read.` };
}
