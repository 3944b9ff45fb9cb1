import { describe, expect, it } from "vitest";
import { answersSchema } from "@/lib/applications/schema";
import { demoAnswers } from "@/prisma/seed";

describe("demo data", () => {
  it("the seeded approved application's answers are a complete submission", () => {
    expect(answersSchema.safeParse(demoAnswers).success).toBe(true);
  });
});
