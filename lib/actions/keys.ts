"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { createApiKey, renameApiKey, revokeApiKey, rotateApiKey } from "@/lib/keys/service";
import { formDataToObject } from "@/lib/validation";

export type IssuedSecret = { name: string; secret: string };

export async function createKeyAction(_previous: ActionResult<IssuedSecret> | undefined, formData: FormData): Promise<ActionResult<IssuedSecret>> {
  const actor = await requireArea("applicant");
  try {
    const key = await createApiKey({ actor, input: formDataToObject(formData) });
    revalidatePath("/applicant/keys");
    return { ok: true, message: `Key “${key.name}” created.`, data: { name: key.name, secret: key.secret } };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function renameKeyAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    await renameApiKey({ actor, input: formDataToObject(formData) });
    revalidatePath("/applicant/keys");
    return { ok: true, message: "Key renamed." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function rotateKeyAction(_previous: ActionResult<IssuedSecret> | undefined, formData: FormData): Promise<ActionResult<IssuedSecret>> {
  const actor = await requireArea("applicant");
  try {
    const key = await rotateApiKey({ actor, input: formDataToObject(formData) });
    revalidatePath("/applicant/keys");
    return { ok: true, message: `Key rotated: the old secret keeps working until its grace period ends.`, data: { name: key.name, secret: key.secret } };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function revokeKeyAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    await revokeApiKey({ actor, input: formDataToObject(formData) });
    revalidatePath("/applicant/keys");
    return { ok: true, message: "Key revoked: it is refused from now on." };
  } catch (error) {
    return actionFailure(error);
  }
}
