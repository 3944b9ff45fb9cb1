"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionFailure, type ActionResult } from "@/lib/action-result";
import { unflattenFormValues } from "@/lib/applications/schema";
import { createApplication, createProductionReview, saveDraft, submitApplication, withdrawApplication } from "@/lib/applications/service";
import { requireArea } from "@/lib/auth/session";
import { postMessage } from "@/lib/messages/service";
import { formDataToObject } from "@/lib/validation";

function formInput(formData: FormData): Record<string, unknown> {
  return unflattenFormValues(formDataToObject(formData));
}

export async function createApplicationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  let id: string;
  try {
    ({ id } = await createApplication({ actor, input: formDataToObject(formData) }));
  } catch (error) {
    return actionFailure(error);
  }
  redirect(`/applicant/applications/${id}/edit`);
}

export async function requestProductionReviewAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  let id: string;
  try {
    ({ id } = await createProductionReview({ actor, input: formDataToObject(formData) }));
  } catch (error) {
    return actionFailure(error);
  }
  redirect(`/applicant/applications/${id}/edit`);
}

/** Autosave and "Save draft": the whole form, partial answers allowed. */
export async function saveDraftAction(formData: FormData): Promise<ActionResult<{ savedAt: string }>> {
  const actor = await requireArea("applicant");
  try {
    const saved = await saveDraft({ actor, input: formInput(formData) });
    // The saver shows this as "Not saved: …" on the fields named, and sends them again after the next edit.
    if (saved.invalid) return { ok: false, message: "the highlighted answers need correcting; everything else is saved.", fieldErrors: saved.invalid };
    return { ok: true, message: "Draft saved.", data: { savedAt: saved.updatedAt.toISOString() } };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function submitApplicationAction(formData: FormData): Promise<ActionResult<{ id: string }>> {
  const actor = await requireArea("applicant");
  try {
    const result = await submitApplication({ actor, input: formInput(formData) });
    revalidatePath("/applicant");
    return { ok: true, message: `Version ${result.version} submitted.`, data: { id: result.id } };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function withdrawApplicationAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    const result = await withdrawApplication({ actor, input: formDataToObject(formData) });
    revalidatePath(`/applicant/applications/${result.id}`);
    return { ok: true, message: "The application is withdrawn." };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function postApplicantMessageAction(_previous: ActionResult | undefined, formData: FormData): Promise<ActionResult> {
  const actor = await requireArea("applicant");
  try {
    // Applicants never write internal notes: the flag is not taken from the form.
    const { applicationId, body } = formDataToObject(formData);
    const message = await postMessage({ actor, input: { applicationId, body, isInternal: false } });
    revalidatePath(`/applicant/applications/${message.applicationId}`);
    return { ok: true, message: "Message sent." };
  } catch (error) {
    return actionFailure(error);
  }
}
