// The usage filters read from GET parameters (dashboards and CSV export), and who may see which records.
import "server-only";
import { z } from "zod";
import { isAdmin } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { listMemberships } from "@/lib/organizations/access";
import type { SessionUser } from "@/lib/users/service";
import { ID_MAX, parseInput } from "@/lib/validation";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Ranges up to this long are drawn per hour, longer ones per day. */
const HOURLY_UP_TO_MS = 2 * DAY_MS;
const MAX_RANGE_DAYS = 366;

export const usageRanges = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days" } as const;
export type UsageRange = keyof typeof usageRanges;
const rangeMs: Record<UsageRange, number> = { "24h": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS, "90d": 90 * DAY_MS };

export const usageStatuses = { success: "Succeeded (below 400)", error: "Failed (400 and above)", flagged: "Flagged" } as const;

const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .max(max, `${label} is at most ${max} characters.`)
    .optional()
    .transform((value) => value || undefined);

const day = (label: string) =>
  optionalText(label, 10).refine((value) => value === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))), {
    message: `${label} must be a date such as 2026-11-25.`,
  });

export const usageFilterSchema = z
  .object({
    org: optionalText("Organisation", ID_MAX),
    app: optionalText("Application", ID_MAX),
    key: optionalText("Key", ID_MAX),
    model: optionalText("Model", 256),
    endUser: optionalText("End user", 256),
    status: z
      .string()
      .trim()
      .optional()
      .transform((value) => value || undefined)
      .refine((value) => value === undefined || value in usageStatuses || /^[1-5]\d\d$/.test(value), {
        message: "Status must be succeeded, failed, flagged or an HTTP status code such as 429.",
      }),
    range: z
      .string()
      .trim()
      .optional()
      .transform((value) => value || undefined)
      .refine((value) => value === undefined || value in usageRanges, { message: "Choose one of the listed time ranges." }),
    from: day("From"),
    to: day("To"),
  })
  .superRefine((value, context) => {
    if (value.from && value.to && value.from > value.to) context.addIssue({ code: "custom", path: ["to"], message: "To must be on or after From." });
    if (value.from && value.to && Date.parse(value.to) - Date.parse(value.from) > MAX_RANGE_DAYS * DAY_MS)
      context.addIssue({ code: "custom", path: ["to"], message: `Choose at most ${MAX_RANGE_DAYS} days.` });
  });

export type UsageFilterInput = z.infer<typeof usageFilterSchema>;

export interface UsageFilter {
  organizationId?: string;
  applicationId?: string;
  apiKeyId?: string;
  model?: string;
  endUserId?: string;
  status?: string;
  since: Date;
  until: Date;
  bucket: "hour" | "day";
  /** The parameters as given (for links such as the CSV export). */
  params: Record<string, string>;
}

/** Which organisations' records the actor may read: every one (admins) or their memberships. */
export type UsageScope = { kind: "all" } | { kind: "organizations"; organizationIds: string[] };

export async function usageScopeOf(actor: SessionUser, as: "admin" | "member"): Promise<UsageScope> {
  if (as === "admin") {
    if (!isAdmin(actor)) throw new AppError("forbidden", "Only administrators may see every organisation's usage.");
    return { kind: "all" };
  }
  if (actor.status !== "ACTIVE") throw new AppError("forbidden", "This account is suspended.");
  const memberships = await listMemberships(actor.id);
  return { kind: "organizations", organizationIds: memberships.map((membership) => membership.organizationId) };
}

/** First param of each name, as strings (repeated params keep their first value). */
export function searchParamsToInput(params: Record<string, string | string[] | undefined> | URLSearchParams): Record<string, string> {
  const input: Record<string, string> = Object.create(null) as Record<string, string>;
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [name, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string" && name in usageFilterSchema.shape && !(name in input)) input[name] = first;
  }
  return input;
}

/**
 * Validates the filter and checks each chosen organisation, application and key lies in the scope (an applicant's
 * filter on another organisation's is "not found", the same answer as for an id that does not exist).
 */
export async function resolveUsageFilter({ scope, input, now = new Date() }: { scope: UsageScope; input: unknown; now?: Date }): Promise<UsageFilter> {
  const value = parseInput(usageFilterSchema, input);
  const inScope = scope.kind === "all" ? {} : { organizationId: { in: scope.organizationIds } };
  const [organization, application, apiKey] = await Promise.all([
    value.org && (scope.kind === "all" || scope.organizationIds.includes(value.org)) ? db.organization.findUnique({ where: { id: value.org }, select: { id: true } }) : null,
    value.app ? db.application.findFirst({ where: { id: value.app, ...inScope }, select: { id: true } }) : null,
    value.key ? db.apiKey.findFirst({ where: { id: value.key, ...inScope }, select: { id: true } }) : null,
  ]);
  if (value.org && !organization) throw new AppError("not_found", "That organisation does not exist or is not one of yours.", { org: ["Choose one of the listed organisations."] });
  if (value.app && !application) throw new AppError("not_found", "That application does not exist or is not one of yours.", { app: ["Choose one of the listed applications."] });
  if (value.key && !apiKey) throw new AppError("not_found", "That key does not exist or is not one of yours.", { key: ["Choose one of the listed keys."] });

  let since: Date;
  let until: Date;
  if (value.from || value.to) {
    until = value.to ? new Date(Date.parse(`${value.to}T00:00:00Z`) + DAY_MS) : new Date(Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS);
    since = value.from ? new Date(`${value.from}T00:00:00Z`) : new Date(until.getTime() - 30 * DAY_MS);
  } else {
    const range: UsageRange = value.range && value.range in usageRanges ? (value.range as UsageRange) : "30d";
    const span = rangeMs[range];
    if (span <= HOURLY_UP_TO_MS) {
      until = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
      since = new Date(until.getTime() - span);
    } else {
      until = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
      since = new Date(until.getTime() - span);
    }
  }
  const params: Record<string, string> = {};
  for (const [name, given] of Object.entries(value)) if (typeof given === "string") params[name] = given;
  return {
    organizationId: organization?.id,
    applicationId: application?.id,
    apiKeyId: apiKey?.id,
    model: value.model,
    endUserId: value.endUser,
    status: value.status,
    since,
    until,
    bucket: until.getTime() - since.getTime() <= HOURLY_UP_TO_MS ? "hour" : "day",
    params,
  };
}

/** The WHERE clause (over "UsageRecord" aliased u) for a scope and a resolved filter. */
export function usageWhere(scope: UsageScope, filter: UsageFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`u."createdAt" >= ${filter.since}`, Prisma.sql`u."createdAt" < ${filter.until}`];
  if (scope.kind === "organizations") {
    parts.push(scope.organizationIds.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`u."organizationId" IN (${Prisma.join(scope.organizationIds)})`);
  }
  if (filter.organizationId) parts.push(Prisma.sql`u."organizationId" = ${filter.organizationId}`);
  if (filter.apiKeyId) parts.push(Prisma.sql`u."apiKeyId" = ${filter.apiKeyId}`);
  if (filter.applicationId) {
    parts.push(Prisma.sql`u."apiKeyId" IN (SELECT k."id" FROM "ApiKey" k JOIN "KeyGrant" g ON g."id" = k."grantId" WHERE g."applicationId" = ${filter.applicationId})`);
  }
  if (filter.model) parts.push(Prisma.sql`u."model" = ${filter.model}`);
  if (filter.endUserId) parts.push(Prisma.sql`u."endUserId" = ${filter.endUserId}`);
  if (filter.status === "success") parts.push(Prisma.sql`u."status" < 400`);
  else if (filter.status === "error") parts.push(Prisma.sql`u."status" >= 400`);
  else if (filter.status === "flagged") parts.push(Prisma.sql`u."isFlagged"`);
  else if (filter.status) parts.push(Prisma.sql`u."status" = ${Number(filter.status)}`);
  return Prisma.join(parts, " AND ");
}
