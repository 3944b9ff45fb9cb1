// Reads for the key pages: an applicant's organisations, grants and keys; the admins' list of every key.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listMemberships } from "@/lib/organizations/access";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { keyScopesSchema, type KeyScopes } from "./scopes";
import { MAX_KEYS_PER_GRANT } from "./service";
import { keyStateOf, keyStatuses, type KeyState } from "./status";

export const ADMIN_KEYS_PAGE_SIZE = 25;
export const ADMIN_ORGS_PAGE_SIZE = 10;

const keySelect = {
  id: true,
  name: true,
  prefix: true,
  kind: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  revokedReason: true,
  suspendedAt: true,
  suspendedReason: true,
  graceUntil: true,
  rotatedToId: true,
  createdBy: { select: { name: true } },
} as const;

/** Stored scopes, tolerating a malformed row (shown as unreadable rather than breaking the whole page). */
function readScopes(value: unknown): KeyScopes | null {
  const parsed = keyScopesSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  kind: "DEVELOPMENT" | "LIVE";
  createdAt: Date;
  lastUsedAt: Date | null;
  createdByName: string | null;
  /** Why an administrator (or the automatic enforcement) suspended the key, while it is suspended. */
  suspendedReason: string | null;
  state: KeyState;
}

/** Every organisation the user belongs to, each grant and its keys (newest first), with what the user may do. */
export async function listKeysForUser({ actor, now = new Date() }: { actor: SessionUser; now?: Date }) {
  const memberships = await listMemberships(actor.id);
  if (memberships.length === 0) return [];
  const organizations = await db.organization.findMany({
    where: { id: { in: memberships.map((membership) => membership.organizationId) } },
    select: {
      id: true,
      name: true,
      suspendedAt: true,
      suspendedReason: true,
      grants: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          kind: true,
          scopes: true,
          createdAt: true,
          revokedAt: true,
          application: { select: { productName: true, stage: true } },
          apiKeys: { orderBy: [{ createdAt: "desc" }, { id: "asc" }], select: keySelect },
        },
      },
    },
  });
  const byId = new Map(organizations.map((organization) => [organization.id, organization]));
  return memberships.flatMap((membership) => {
    const organization = byId.get(membership.organizationId);
    if (!organization) return [];
    return [
      {
        id: organization.id,
        name: organization.name,
        role: membership.role,
        suspendedAt: organization.suspendedAt,
        suspendedReason: organization.suspendedAt ? organization.suspendedReason : null,
        grants: organization.grants.map((grant) => {
          const scopes = readScopes(grant.scopes);
          const grantExpiresAt = scopes?.expiresAt ?? null;
          const keys: KeyView[] = grant.apiKeys.map((key) => ({
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            kind: key.kind,
            createdAt: key.createdAt,
            lastUsedAt: key.lastUsedAt,
            createdByName: key.createdBy?.name ?? null,
            suspendedReason: key.suspendedAt ? key.suspendedReason : null,
            state: keyStateOf({ ...key, grantRevokedAt: grant.revokedAt, grantExpiresAt, organizationSuspendedAt: organization.suspendedAt }, now),
          }));
          // The same count the service's cap uses: keys neither revoked nor rotated away.
          const activeCount = grant.apiKeys.filter((key) => !key.revokedAt && !key.graceUntil).length;
          const isExpired = grantExpiresAt !== null && new Date(grantExpiresAt).getTime() <= now.getTime();
          return {
            id: grant.id,
            kind: grant.kind,
            createdAt: grant.createdAt,
            revokedAt: grant.revokedAt,
            applicationName: grant.application?.productName || null,
            scopes,
            isExpired,
            keys,
            activeCount,
            canCreate: !grant.revokedAt && !isExpired && activeCount < MAX_KEYS_PER_GRANT,
          };
        }),
      },
    ];
  });
}

export const listAllKeysSchema = z.object({
  q: z.string().trim().max(200).optional().default(""),
  status: z.enum(keyStatuses).optional().catch(undefined),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

/** Grants whose expiry date has passed (scopes live in JSON, so this is read and compared here). */
async function expiredGrantIds(now: Date): Promise<string[]> {
  const grants = await db.keyGrant.findMany({ select: { id: true, scopes: true } });
  return grants
    .filter((grant) => {
      const expiresAt = readScopes(grant.scopes)?.expiresAt;
      return expiresAt ? new Date(expiresAt).getTime() <= now.getTime() : false;
    })
    .map((grant) => grant.id);
}

function statusWhere(status: (typeof keyStatuses)[number], now: Date, expired: string[]): Prisma.ApiKeyWhereInput {
  const notRevoked: Prisma.ApiKeyWhereInput = { revokedAt: null, grant: { revokedAt: null } };
  const notSuspended: Prisma.ApiKeyWhereInput = { suspendedAt: null, organization: { suspendedAt: null } };
  switch (status) {
    case "revoked":
      return { OR: [{ revokedAt: { not: null } }, { grant: { revokedAt: { not: null } } }] };
    case "suspended":
      return { AND: [notRevoked, { OR: [{ suspendedAt: { not: null } }, { organization: { suspendedAt: { not: null } } }] }] };
    case "expired":
      return { AND: [notRevoked, notSuspended, { OR: [{ graceUntil: { lte: now } }, { grantId: { in: expired } }] }] };
    case "grace":
      return { AND: [notRevoked, notSuspended, { graceUntil: { gt: now }, grantId: { notIn: expired } }] };
    case "active":
      return { AND: [notRevoked, notSuspended, { graceUntil: null, grantId: { notIn: expired } }] };
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

/** Admins: every key of every organisation, searchable by organisation, key name or prefix, filtered by status. */
export async function listAllKeys({ actor, input, now = new Date() }: { actor: SessionUser; input: unknown; now?: Date }) {
  assertAdmin(actor, "see every key");
  const { q, status, page } = parseInput(listAllKeysSchema, input);
  const expired = await expiredGrantIds(now);
  const filters: Prisma.ApiKeyWhereInput[] = [];
  if (q) {
    filters.push({
      OR: [
        { name: { contains: q, mode: "insensitive" } },
        { prefix: { contains: q, mode: "insensitive" } },
        { organization: { name: { contains: q, mode: "insensitive" } } },
      ],
    });
  }
  if (status) filters.push(statusWhere(status, now, expired));
  const where: Prisma.ApiKeyWhereInput = filters.length > 0 ? { AND: filters } : {};
  const [rows, total] = await Promise.all([
    db.apiKey.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * ADMIN_KEYS_PAGE_SIZE,
      take: ADMIN_KEYS_PAGE_SIZE,
      select: {
        ...keySelect,
        organization: { select: { id: true, name: true, suspendedAt: true } },
        grant: { select: { revokedAt: true, scopes: true } },
      },
    }),
    db.apiKey.count({ where }),
  ]);
  const keys = rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    kind: row.kind,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    organization: { id: row.organization.id, name: row.organization.name },
    state: keyStateOf(
      {
        ...row,
        grantRevokedAt: row.grant.revokedAt,
        grantExpiresAt: readScopes(row.grant.scopes)?.expiresAt ?? null,
        organizationSuspendedAt: row.organization.suspendedAt,
      },
      now,
    ),
  }));
  return { keys, total, page, pageCount: Math.max(1, Math.ceil(total / ADMIN_KEYS_PAGE_SIZE)), q, status: status ?? null };
}

export const listOrganizationsSchema = z.object({
  q: z.string().trim().max(200).optional().default(""),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});

/** Admins: organisations with their API-access state and key counts, for suspending and reinstating access. */
export async function listOrganizationsForAdmin({ actor, input }: { actor: SessionUser; input: unknown }) {
  assertAdmin(actor, "see every key");
  const { q, page } = parseInput(listOrganizationsSchema, input);
  const where: Prisma.OrganizationWhereInput = q ? { name: { contains: q, mode: "insensitive" } } : {};
  const [organizations, total] = await Promise.all([
    db.organization.findMany({
      where,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (page - 1) * ADMIN_ORGS_PAGE_SIZE,
      take: ADMIN_ORGS_PAGE_SIZE,
      select: { id: true, name: true, suspendedAt: true, _count: { select: { apiKeys: true, memberships: true } } },
    }),
    db.organization.count({ where }),
  ]);
  return {
    organizations: organizations.map((organization) => ({
      id: organization.id,
      name: organization.name,
      suspendedAt: organization.suspendedAt,
      keyCount: organization._count.apiKeys,
      memberCount: organization._count.memberships,
    })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / ADMIN_ORGS_PAGE_SIZE)),
    q,
  };
}
