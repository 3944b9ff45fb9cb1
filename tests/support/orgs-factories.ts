// Factories for organisation, category and notification tests.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { SessionUser } from "@/lib/users/service";

export async function createOrganizationWith({ owner, members = [] }: { owner: SessionUser; members?: SessionUser[] }) {
  return db.organization.create({
    data: {
      name: `Org ${randomBytes(3).toString("hex")}`,
      memberships: { create: [{ userId: owner.id, role: "OWNER" as const }, ...members.map((member) => ({ userId: member.id, role: "MEMBER" as const }))] },
    },
    select: { id: true, name: true },
  });
}

export async function createCategoryRow({ slug = `cat-${randomBytes(4).toString("hex")}`, position = 0, retiredAt = null }: { slug?: string; position?: number; retiredAt?: Date | null } = {}) {
  return db.useCaseCategory.create({
    data: { slug, name: `Category ${slug}`, description: "A test category.", status: "SUPPORTED", examples: [], safeguards: [], position, retiredAt },
  });
}

export async function createApplicationIn({ organizationId, createdById, categoryId }: { organizationId: string; createdById: string; categoryId: string }) {
  return db.application.create({ data: { organizationId, createdById, categoryId, productName: "Test product" }, select: { id: true } });
}
