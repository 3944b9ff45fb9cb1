// The audit log's filters, as GET query parameters: shared by the page, the CSV export and their tests.
import { z } from "zod";
import { isCalendarDate } from "@/lib/validation";

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((value) => (value ? value : undefined));

const optionalDay = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || isCalendarDate(value), message);

export const auditFilterSchema = z
  .object({
    actor: optionalText(200, "The actor filter is at most 200 characters."),
    action: optionalText(100, "The action filter is at most 100 characters.").refine((value) => value === undefined || /^[a-z0-9_.]+$/i.test(value), "An action holds letters, digits, dots and underscores only (for example key.revoked, or key for every key action)."),
    targetType: optionalText(100, "Choose a target type from the list.").refine((value) => value === undefined || /^[A-Za-z]+$/.test(value), "Choose a target type from the list."),
    targetId: optionalText(100, "A target id is at most 100 characters."),
    from: optionalDay("“From” must be a date (YYYY-MM-DD)."),
    to: optionalDay("“To” must be a date (YYYY-MM-DD)."),
  })
  // Only two real dates can be out of order: a date that is not one already has its own message.
  .refine((filter) => !filter.from || !filter.to || !isCalendarDate(filter.from) || !isCalendarDate(filter.to) || filter.from <= filter.to, { message: "“From” must be on or before “To”.", path: ["to"] });

export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditPageSchema = z.coerce.number({ error: "The page must be a number." }).int("The page must be a whole number.").min(1, "The page must be 1 or more.").max(100_000, "That page is too far.");

/** The filter's query parameters (for links that keep it: pagination, CSV export). */
export function auditFilterParams(filter: AuditFilter): Record<string, string | undefined> {
  return { actor: filter.actor, action: filter.action, targetType: filter.targetType, targetId: filter.targetId, from: filter.from, to: filter.to };
}
