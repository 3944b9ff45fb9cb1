// The one result shape of server actions: expected failures are returned, the unexpected are thrown to error.tsx.
import { isAppError, type FieldErrors } from "@/lib/errors";

export type ActionResult<T = undefined> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; message: string; fieldErrors: FieldErrors };

export function actionFailure(error: unknown): ActionResult<never> {
  if (isAppError(error)) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
  throw error;
}
