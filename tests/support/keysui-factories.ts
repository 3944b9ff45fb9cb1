// Factories for the key, usage and moderation tests: an organisation with a grant, usage rows, flagged events.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { defaultDevelopmentScopes, type KeyScopes } from "@/lib/keys/scopes";
import { createKeyUnderGrant, issueKeyGrant } from "@/lib/keys/service";
import type { SessionUser } from "@/lib/users/service";
import { createUser } from "./factories";

export async function createOrganizationWithGrant({
  owner,
  name = `Org ${randomBytes(3).toString("hex")}`,
  scopes = defaultDevelopmentScopes,
  kind = "DEVELOPMENT",
}: { owner?: SessionUser; name?: string; scopes?: KeyScopes; kind?: "DEVELOPMENT" | "LIVE" } = {}) {
  const user = owner ?? (await createUser());
  const organization = await db.organization.create({ data: { name, memberships: { create: { userId: user.id, role: "OWNER" } } } });
  const grant = await db.$transaction((tx) => issueKeyGrant({ organizationId: organization.id, applicationId: null, kind, scopes, actorId: null }, tx));
  return { owner: user, organization, grant };
}

export async function createTestKey({ grantId, name = "Test key", createdById = null }: { grantId: string; name?: string; createdById?: string | null }) {
  return db.$transaction((tx) => createKeyUnderGrant({ grantId, name, createdById }, tx));
}

export async function createUsageRecord({
  apiKeyId,
  organizationId,
  createdAt = new Date(),
  totalTokens = 10,
}: { apiKeyId: string; organizationId: string; createdAt?: Date; totalTokens?: number }) {
  return db.usageRecord.create({
    data: {
      requestId: `req_${randomBytes(6).toString("hex")}`,
      apiKeyId,
      organizationId,
      endpoint: "chat.completions",
      model: "gatehouse-ngram",
      promptTokens: Math.floor(totalTokens / 2),
      completionTokens: totalTokens - Math.floor(totalTokens / 2),
      totalTokens,
      status: 200,
      createdAt,
    },
  });
}

export async function createModerationEvent({
  apiKeyId = null,
  organizationId = null,
  createdAt = new Date(),
  excerpt = "flagged text",
}: { apiKeyId?: string | null; organizationId?: string | null; createdAt?: Date; excerpt?: string } = {}) {
  return db.moderationEvent.create({
    data: {
      requestId: `req_${randomBytes(6).toString("hex")}`,
      apiKeyId,
      organizationId,
      direction: "INPUT",
      action: "BLOCKED",
      categories: ["harassment"],
      scores: { harassment: 0.9 },
      excerpt,
      createdAt,
    },
  });
}
