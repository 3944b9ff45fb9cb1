import { describe, expect, it } from "vitest";
import { transitionApplication, transitionApplications } from "@/lib/applications/transition";
import { db } from "@/lib/db";
import { createSubmittedApplication } from "@/tests/support/review-factories";

describe("transitionApplication", () => {
  it("moves an application from an allowed state and records the change's event", async () => {
    const application = await createSubmittedApplication({ status: "SUBMITTED" });
    await db.$transaction((tx) => transitionApplication({ tx, applicationId: application.id, change: "startReview", actorId: null, event: { note: "test" } }));
    expect((await db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("IN_REVIEW");
    expect(await db.applicationEvent.findFirst({ where: { applicationId: application.id, type: "in_review" } })).toMatchObject({ data: { note: "test" } });
  });

  it("refuses any other state with the change's reason and the current status, writing nothing", async () => {
    const application = await createSubmittedApplication({ status: "APPROVED" });
    await expect(db.$transaction((tx) => transitionApplication({ tx, applicationId: application.id, change: "reject", actorId: null }))).rejects.toMatchObject({
      kind: "conflict",
      message: "Only an application awaiting a decision can be rejected. It is approved.",
    });
    expect(await db.applicationEvent.count({ where: { applicationId: application.id, type: "rejected" } })).toBe(0);
  });

  it("refuses when the row changed since the caller read it, and for a missing application", async () => {
    const application = await createSubmittedApplication({ status: "IN_REVIEW" });
    await expect(db.$transaction((tx) => transitionApplication({ tx, applicationId: application.id, change: "withdraw", expectedFrom: "SUBMITTED", actorId: null }))).rejects.toMatchObject({
      kind: "conflict",
      message: expect.stringMatching(/changed meanwhile/),
    });
    await expect(db.$transaction((tx) => transitionApplication({ tx, applicationId: "missing", change: "withdraw", actorId: null }))).rejects.toMatchObject({ kind: "not_found" });
  });
});

describe("transitionApplications", () => {
  it("moves every application and records each event, or moves none when one is in another state", async () => {
    const [first, second] = [await createSubmittedApplication(), await createSubmittedApplication()];
    await db.$transaction((tx) => transitionApplications({ tx, applicationIds: [first.id, second.id], change: "startReview", expectedFrom: "SUBMITTED", actorId: null }));
    expect(await db.application.count({ where: { id: { in: [first.id, second.id] }, status: "IN_REVIEW" } })).toBe(2);
    expect(await db.applicationEvent.count({ where: { applicationId: { in: [first.id, second.id] }, type: "in_review" } })).toBe(2);

    const [fresh, moved] = [await createSubmittedApplication(), await createSubmittedApplication({ status: "IN_REVIEW" })];
    await expect(
      db.$transaction((tx) => transitionApplications({ tx, applicationIds: [fresh.id, moved.id], change: "startReview", expectedFrom: "SUBMITTED", actorId: null })),
    ).rejects.toMatchObject({ kind: "conflict" });
    expect((await db.application.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe("SUBMITTED");
  });
});
