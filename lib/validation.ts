// Parses external input with zod and turns failures into one AppError carrying per-field messages.
import { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError("invalid", "Please correct the highlighted fields.", fieldErrorsOf(result.error));
}

/** The longest id a form may post back (ids are cuids, 25 characters). */
export const ID_MAX = 100;

/** An id posted by a form: bounded, so an oversize value is a form error rather than a database query. */
export function idSchema(message = "That item does not exist.") {
  return z.string({ error: message }).trim().min(1, message).max(ID_MAX, message);
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

/** Segments that would reach an object's prototype if a client-chosen name became a property path. */
const prototypeKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** A name or dotted path from a client (form field, JSON key, query parameter) that is safe to build objects with. */
export function isSafeKey(name: string): boolean {
  return name.split(".").every((segment) => !prototypeKeys.has(segment));
}

export function refuseUnsafeKey(name: string): void {
  if (!isSafeKey(name)) throw new AppError("invalid", "The form contains a field name that is not allowed.", { form: ["The form contains a field name that is not allowed."] });
}

/** A record without a prototype: client-chosen keys stay plain data, never Object.prototype's members. */
export function emptyRecord<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * Turns FormData into a plain object; repeated keys become arrays. Refuses names that reach a prototype, and an
 * argument that is not a form at all (a hand-made action call can send any value where the form should be).
 */
export function formDataToObject(formData: unknown): Record<string, unknown> {
  if (!(formData instanceof FormData)) throw new AppError("invalid", "This form could not be read. Reload the page and try again.");
  const result = emptyRecord();
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    refuseUnsafeKey(key);
    const current = result[key];
    if (current === undefined) result[key] = value;
    else result[key] = Array.isArray(current) ? [...current, value] : [current, value];
  }
  return result;
}
