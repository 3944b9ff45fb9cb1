import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { listReviewQueue } from "@/lib/reviews/queries";
import { seedDemoData } from "@/prisma/seed";
import { createUser } from "@/tests/support/factories";

describe("the demo review queue", () => {
  it("seeds four submitted applications, academic fairness research first, once", async () => {
    const db = getDb();
    await seedDemoData(db);
    await seedDemoData(db);
    const reviewer = await createUser({ role: "REVIEWER" });
    const queue = await listReviewQueue({ actor: reviewer, input: {} });
    expect(queue.items.map((item) => item.productName)).toEqual([
      "Dialect fairness audit of text classifiers",
      "Patient FAQ assistant",
      "Product description drafts",
      "Support reply drafts (production)",
    ]);
    const production = await db.application.findFirstOrThrow({
      where: { productName: "Support reply drafts (production)" },
      select: { stage: true, parentId: true, organization: { select: { memberships: { select: { user: { select: { email: true } } } } } } },
    });
    expect(production.stage).toBe("PRODUCTION");
    expect(production.parentId).not.toBeNull();
    expect(production.organization.memberships.map((row) => row.user.email)).toEqual(["applicant@gatehouse.test"]);
  });
});
