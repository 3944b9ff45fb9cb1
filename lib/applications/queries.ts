// Applicants' reads of their organisations' applications: the list, one application, its timeline and versions.
import "server-only";
import { assertStaff } from "@/lib/auth/policy";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { keyScopesSchema } from "@/lib/keys/scopes";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { asSnapshot } from "./diff";
import { listApplicationsSchema } from "./schema";
import { ownApplicationWhere } from "./service";

export const APPLICATIONS_PAGE_SIZE = 10;

export async function listApplicationsForUser({ actor, input }: { actor: SessionUser; input: unknown }) {
  const { page } = parseInput(listApplicationsSchema, input);
  const where = { organization: { memberships: { some: { userId: actor.id } } } };
  const [applications, total] = await Promise.all([
    db.application.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * APPLICATIONS_PAGE_SIZE,
      take: APPLICATIONS_PAGE_SIZE,
      select: {
        id: true,
        productName: true,
        status: true,
        stage: true,
        track: true,
        updatedAt: true,
        organization: { select: { name: true } },
        category: { select: { name: true } },
      },
    }),
    db.application.count({ where }),
  ]);
  return { applications, total, page, pageCount: Math.max(1, Math.ceil(total / APPLICATIONS_PAGE_SIZE)) };
}

/** One of the actor's organisations' applications, or a not_found AppError. */
export async function getApplicationForApplicant({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  const application = await db.application.findFirst({
    where: ownApplicationWhere(actor, applicationId),
    select: {
      id: true,
      organizationId: true,
      status: true,
      stage: true,
      track: true,
      productName: true,
      description: true,
      categoryId: true,
      answers: true,
      academic: true,
      priority: true,
      currentVersion: true,
      submittedAt: true,
      decidedAt: true,
      createdAt: true,
      updatedAt: true,
      organization: { select: { name: true } },
      category: { select: { id: true, name: true, status: true, description: true } },
      parent: { select: { id: true, productName: true } },
      children: { select: { id: true, status: true, createdAt: true }, orderBy: { createdAt: "desc" } },
    },
  });
  if (!application) throw new AppError("not_found", "That application does not exist.");
  return application;
}

async function namesOf(userIds: (string | null)[]) {
  const ids = [...new Set(userIds.filter((id): id is string => id !== null))];
  const users = ids.length === 0 ? [] : await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, role: true } });
  return new Map(users.map((user) => [user.id, user]));
}

/** The timeline, oldest first, each event with its actor (null for the system). */
export async function listApplicationEvents({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  await getApplicationForApplicant({ actor, applicationId });
  const events = await db.applicationEvent.findMany({
    where: { applicationId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, type: true, actorId: true, data: true, createdAt: true },
  });
  const actors = await namesOf(events.map((event) => event.actorId));
  return events.map((event) => ({ ...event, actor: event.actorId ? (actors.get(event.actorId) ?? null) : null }));
}

/** Every submitted version of an application, newest first, with its snapshot; callers check access first. */
async function readVersions(applicationId: string) {
  const versions = await db.applicationVersion.findMany({
    where: { applicationId },
    orderBy: { version: "desc" },
    select: { id: true, version: true, snapshot: true, submittedById: true, createdAt: true },
  });
  const submitters = await namesOf(versions.map((version) => version.submittedById));
  return versions.map((version) => ({
    id: version.id,
    version: version.version,
    createdAt: version.createdAt,
    snapshot: asSnapshot(version.snapshot),
    submittedBy: submitters.get(version.submittedById)?.name ?? "A former member",
  }));
}

/** Every submitted version, newest first, with its snapshot. */
export async function listApplicationVersions({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  await getApplicationForApplicant({ actor, applicationId });
  return readVersions(applicationId);
}

/** For reviewers and admins: every submitted version, newest first, to render <VersionDiff before after />. */
export async function listVersionsForStaff({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  assertStaff(actor, "read submitted versions");
  const application = await db.application.findFirst({ where: { id: applicationId, status: { not: "DRAFT" } }, select: { id: true } });
  if (!application) throw new AppError("not_found", "That application does not exist.");
  return readVersions(applicationId);
}

/** The latest decision on one of the actor's applications, with the scopes it granted and the key grant it issued. */
export async function getApplicationOutcome({ actor, applicationId }: { actor: SessionUser; applicationId: string }) {
  await getApplicationForApplicant({ actor, applicationId });
  const [decision, grant] = await Promise.all([
    db.decision.findFirst({
      where: { applicationId },
      orderBy: { createdAt: "desc" },
      select: { id: true, outcome: true, message: true, conditions: true, scopes: true, createdAt: true },
    }),
    db.keyGrant.findFirst({
      where: { applicationId },
      orderBy: { createdAt: "desc" },
      select: { id: true, kind: true, revokedAt: true, _count: { select: { apiKeys: true } } },
    }),
  ]);
  const scopes = decision?.scopes ? keyScopesSchema.safeParse(decision.scopes) : null;
  return {
    decision: decision ? { ...decision, scopes: scopes?.success ? scopes.data : null } : null,
    grant: grant ? { id: grant.id, kind: grant.kind, isRevoked: grant.revokedAt !== null, keyCount: grant._count.apiKeys } : null,
  };
}
