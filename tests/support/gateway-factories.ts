// Gateway test helpers: organisations with keys of chosen scopes, and a gateway configuration for domain tests. API
// tests run against the production server instead (tests/support/production-server.ts).
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { MAX_BODY_BYTES, type GatewayConfig, type UpstreamConfig } from "@/lib/gateway/config";
import { defaultDevelopmentScopes, type KeyScopes } from "@/lib/keys/scopes";
import { createKeyUnderGrant, issueKeyGrant } from "@/lib/keys/service";
import { TEST_DATA_DIR } from "./production-server";

export { TEST_DATA_DIR };

export function testGatewayConfig(upstream: UpstreamConfig | null = null): GatewayConfig {
  return { dataDir: TEST_DATA_DIR, upstream, maxBodyBytes: MAX_BODY_BYTES, redisUrl: null, moderation: null };
}

export interface TestKey {
  organizationId: string;
  grantId: string;
  keyId: string;
  secret: string;
}

/** A fresh organisation with a grant of `scopes` (defaults: the development sandbox) and one key under it. */
export async function createTestKey(scopes: Partial<KeyScopes> = {}): Promise<TestKey> {
  const organization = await db.organization.create({ data: { name: `Org ${randomBytes(4).toString("hex")}` } });
  return db.$transaction(async (tx) => {
    const grant = await issueKeyGrant({ organizationId: organization.id, applicationId: null, kind: "DEVELOPMENT", scopes: { ...defaultDevelopmentScopes, ...scopes }, actorId: null }, tx);
    const key = await createKeyUnderGrant({ grantId: grant.id, name: "Test key", createdById: null }, tx);
    return { organizationId: organization.id, grantId: grant.id, keyId: key.id, secret: key.secret };
  });
}

/** Reads a generator of text pieces to its end: the pieces, and what it returned. */
export async function collectPieces<End>(source: AsyncGenerator<string, End>): Promise<{ pieces: string[]; end: End }> {
  const pieces: string[] = [];
  for (;;) {
    const step = await source.next();
    if (step.done) return { pieces, end: step.value };
    pieces.push(step.value);
  }
}
