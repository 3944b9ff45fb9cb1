import { describe, expect, it } from "vitest";
import { submissionSchemaFor } from "@/lib/applications/schema";
import { getDb } from "@/lib/db";
import { seedDemoData } from "@/prisma/seed";

describe("demo data", () => {
  it("every seeded submitted application has answers a real submission would have", async () => {
    const db = getDb();
    await seedDemoData(db);
    const applications = await db.application.findMany({
      where: { status: { not: "DRAFT" } },
      select: { productName: true, description: true, categoryId: true, track: true, stage: true, answers: true, academic: true },
    });
    expect(applications.length).toBeGreaterThan(1);
    for (const application of applications) {
      const result = submissionSchemaFor(application).safeParse({ ...application, academic: application.academic ?? {} });
      expect({ productName: application.productName, issues: result.error?.issues ?? [] }).toEqual({ productName: application.productName, issues: [] });
    }
  });
});
