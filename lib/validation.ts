// Parses external input with zod and turns failures into one AppError carrying per-field messages.
import { z } from "zod";
import { AppError, type FieldErrors } from "@/lib/errors";

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  refuseUnstorableText(input);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError("invalid", "Please correct the highlighted fields.", fieldErrorsOf(result.error));
}

/** True for text with no NUL and no unpaired UTF-16 surrogate: PostgreSQL can store it, and no encoding refuses it. */
export function isCleanText(value: string): boolean {
  return !value.includes("\u0000") && value.isWellFormed();
}

export const UNSTORABLE_TEXT_MESSAGE = "Remove the NUL character or the broken Unicode character from this field: it cannot be stored.";

/** The first string in `value` (a form, a JSON value) that is not clean text, by its path; null when every one is. */
export function unstorableTextPath(value: unknown, path: string[] = [], depth = 0): string[] | null {
  if (typeof value === "string") return isCleanText(value) ? null : path;
  if (value === null || typeof value !== "object" || depth > 32) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = unstorableTextPath(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses input holding a NUL or an unpaired surrogate anywhere, with the field it is in: every service parses through
 * here, so such text becomes a form message instead of a database error (a 500) or a broken character stored.
 */
function refuseUnstorableText(input: unknown): void {
  const path = unstorableTextPath(input);
  if (path === null) return;
  const field = path.length > 0 ? path.join(".") : "form";
  throw new AppError("invalid", "Please correct the highlighted fields.", { [field]: [UNSTORABLE_TEXT_MESSAGE] });
}

/**
 * Characters that reorder or hide the text around them: bidi embeddings, overrides and isolates, the zero-width space
 * and joiners' invisible cousins (word joiner, byte-order mark). In a name shown to others they make a reader see
 * something other than what is stored ("Alice \u202Eevil" shows the email after it reversed). Marks that scripts
 * need (ZWJ, ZWNJ, LRM, RLM) stay allowed.
 */
const DISGUISING_CHARACTERS = /[\u202A-\u202E\u2066-\u2069\u200B\u2060\uFEFF]/;

export const DISGUISING_NAME_MESSAGE = "Remove the invisible formatting character (a text-direction override or a zero-width space): names are shown to others as typed.";

/** A name others read (people, organisations, products, keys, categories): refuses disguising characters. */
export function plainName(schema: z.ZodString): z.ZodString {
  return schema.refine((value) => !DISGUISING_CHARACTERS.test(value), DISGUISING_NAME_MESSAGE);
}

/** A number as an HTML number input sends it (12, -3.5, 1e3): not hex, binary, "Infinity" or an empty string (0). */
const FORM_NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** `schema` applied to a form's number: the text is converted when it is written as a number, and refused otherwise. */
export function formNumber<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess((value) => (typeof value === "string" && FORM_NUMBER.test(value.trim()) ? Number(value.trim()) : value), schema);
}

/** A YYYY-MM-DD date that exists: Date.parse takes 2026-02-31 and rolls it over to 3 March. */
export function isCalendarDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** The UTC calendar date `days` from `now` (negative: before it), as YYYY-MM-DD. */
export function calendarDateIn(days: number, now = new Date()): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date that is not yet past: yesterday in UTC passes, so a person's "today" anywhere on Earth does. */
export function isNotPastDate(value: string, now = new Date()): boolean {
  return value >= calendarDateIn(-1, now);
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
