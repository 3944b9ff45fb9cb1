// Small factories for tests: unique emails, a known password, any role or status.
import { randomBytes } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import type { Role, UserStatus } from "@/lib/users/schema";
import type { SessionUser } from "@/lib/users/service";

export const TEST_PASSWORD = "correct horse battery";

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}@example.com`;
}

let cachedHash: Promise<string> | undefined;

export async function createUser({ role = "APPLICANT", status = "ACTIVE", email = uniqueEmail(role.toLowerCase()) }: { role?: Role; status?: UserStatus; email?: string } = {}): Promise<SessionUser> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return db.user.create({
    data: { email, name: `Test ${role.toLowerCase()}`, role, status, passwordHash: await cachedHash },
    select: { id: true, email: true, name: true, role: true, status: true },
  });
}
