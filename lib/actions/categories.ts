"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { createCategory, moveCategory, setCategoryRetired, updateCategory, updateCategoryScopes } from "@/lib/categories/service";
import { formDataToObject } from "@/lib/validation";

function refresh(): void {
  revalidatePath("/admin/categories");
  revalidatePath("/policy");
}

export async function createCategoryAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    await createCategory({ actor, input: formDataToObject(formData) });
  } catch (error) {
    return actionFailure(error);
  }
  refresh();
  redirect("/admin/categories?created=1");
}

export async function updateCategoryAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const category = await updateCategory({ actor, input: formDataToObject(formData) });
    refresh();
    return { ok: true, message: `Saved “${category.name}”.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function moveCategoryAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const { moved } = await moveCategory({ actor, input: formDataToObject(formData) });
    refresh();
    return moved ? { ok: true } : { ok: false, message: "It is already at that end of the list.", fieldErrors: {} };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function setCategoryRetiredAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    const category = await setCategoryRetired({ actor, input: formDataToObject(formData) });
    refresh();
    return { ok: true, message: category.retiredAt ? `“${category.name}” is retired.` : `“${category.name}” is back on the policy.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function updateCategoryScopesAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  try {
    await updateCategoryScopes({ actor, input: formDataToObject(formData) });
    revalidatePath("/admin/categories");
    return { ok: true, message: "Default key scopes saved." };
  } catch (error) {
    return actionFailure(error);
  }
}
