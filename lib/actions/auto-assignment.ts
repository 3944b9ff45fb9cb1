"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { confirmAutoAssignment } from "@/lib/reviews/auto-assignment";
import { formDataToObject } from "@/lib/validation";

export async function confirmAutoAssignmentAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("admin");
  let result;
  try {
    result = await confirmAutoAssignment({ actor, input: formDataToObject(formData) });
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath("/review");
  revalidatePath("/admin/assignment");
  redirect(`/admin/assignment?assigned=${result.assigned}&applications=${result.applications}&reviewers=${result.reviewers}`);
}
