"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { requireArea } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { postMessage } from "@/lib/messages/service";
import { findNextQueueItem } from "@/lib/reviews/queries";
import { reviewInputFromForm } from "@/lib/reviews/schema";
import { assignReviewer, claimApplication, declareConflict, submitReview } from "@/lib/reviews/service";
import { formDataToObject } from "@/lib/validation";

function refresh(applicationId: unknown) {
  revalidatePath("/review");
  if (typeof applicationId === "string") revalidatePath(`/review/applications/${applicationId}`);
}

export async function claimApplicationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("review");
  try {
    const input = formDataToObject(formData);
    await claimApplication({ actor, input });
    refresh(input.applicationId);
    return { ok: true, message: "Claimed: this application is in your queue." };
  } catch (error) {
    // Claimed by someone else meanwhile: the page shows who, instead of the state it was opened in.
    if (isAppError(error) && error.kind === "conflict") refresh(formData.get("applicationId"));
    return actionFailure(error);
  }
}

export async function declareConflictAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("review");
  try {
    await declareConflict({ actor, input: formDataToObject(formData) });
  } catch (error) {
    return actionFailure(error);
  }
  revalidatePath("/review");
  redirect("/review?notice=conflict");
}

export async function assignReviewerAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("review");
  try {
    const input = formDataToObject(formData);
    await assignReviewer({ actor, input });
    refresh(input.applicationId);
    return { ok: true, message: input.replaceReviewerId ? "Reviewer reassigned." : "Reviewer assigned." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function submitReviewAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("review");
  let form: Record<string, unknown>;
  let nextId: string | null = null;
  let isRevision = false;
  try {
    form = formDataToObject(formData);
    const result = await submitReview({ actor, input: reviewInputFromForm(form) });
    isRevision = result.isRevision;
    refresh(form.applicationId);
    if (form.then === "next") nextId = await findNextQueueItem({ actor, afterId: String(form.applicationId) });
  } catch (error) {
    return actionFailure(error);
  }
  if (form.then === "next") redirect(nextId ? `/review/applications/${nextId}` : "/review?notice=done");
  return { ok: true, message: isRevision ? "Review revised. The earlier version is kept." : "Review submitted." };
}

export async function postReviewMessageAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("review");
  try {
    const input = formDataToObject(formData);
    await postMessage({ actor, input });
    refresh(input.applicationId);
    return { ok: true, message: input.isInternal === "on" ? "Internal note added." : "Message sent to the applicant." };
  } catch (error) {
    return actionFailure(error);
  }
}
