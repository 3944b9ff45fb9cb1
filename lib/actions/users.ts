"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { setUserRole, setUserStatus } from "@/lib/users/service";
import { formDataToObject } from "@/lib/validation";

export async function setUserRoleAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const user = await setUserRole({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is now ${user.role.toLowerCase()}.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function setUserStatusAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const user = await setUserStatus({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is ${user.status === "SUSPENDED" ? "suspended" : "reinstated"}.` };
  } catch (error) {
    return actionFailure(error);
  }
}
