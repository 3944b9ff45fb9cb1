"use server";

import { actionFailure, type ActionResult } from "@/lib/action-result";
import { registerUser } from "@/lib/users/service";

export async function signUpAction(input: { name: string; email: string; password: string }): Promise<ActionResult> {
  try {
    await registerUser({ input });
    return { ok: true };
  } catch (error) {
    return actionFailure(error);
  }
}
