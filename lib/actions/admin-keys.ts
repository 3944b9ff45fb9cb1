"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { revokeApiKeyAsAdmin, setApiKeySuspension, setOrganizationApiAccess } from "@/lib/keys/admin";
import { formDataToObject } from "@/lib/validation";

export async function adminRevokeKeyAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    await revokeApiKeyAsAdmin({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/keys");
    return { ok: true, message: "Key revoked. Its owners see your reason." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function setKeySuspensionAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const key = await setApiKeySuspension({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/keys");
    return { ok: true, message: key.suspendedAt ? `${key.prefix}… is suspended.` : `${key.prefix}… is reinstated.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function setOrganizationAccessAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const organization = await setOrganizationApiAccess({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/keys");
    return { ok: true, message: organization.suspendedAt ? `API access of ${organization.name} is suspended.` : `API access of ${organization.name} is reinstated.` };
  } catch (error) {
    return actionFailure(error);
  }
}
