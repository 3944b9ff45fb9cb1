"use server";

import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireUser } from "@/lib/auth/session";
import { changePassword } from "@/lib/users/service";
import { formDataToObject } from "@/lib/validation";

export async function changePasswordAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireUser("/account");
  try {
    await changePassword({ actor, input: formDataToObject(formData) });
    return { ok: true, message: "Your password was changed." };
  } catch (error) {
    return actionFailure(error);
  }
}
