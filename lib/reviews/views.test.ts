import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { deleteView, listSavedViews, MAX_SAVED_VIEWS, renameView, saveView } from "@/lib/reviews/views";
import { createUser } from "@/tests/support/factories";

describe("saved views of the queue", () => {
  it("saves the search and filters (not the page) under a name, lists them by name, renames and deletes them", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    await saveView({ actor: reviewer, input: { name: "  Risky production  ", q: "risk:>=4", stage: "PRODUCTION", page: "3" } });
    await saveView({ actor: reviewer, input: { name: "Academic", track: "ACADEMIC", assigned: "none" } });
    const views = await listSavedViews({ actor: reviewer });
    expect(views.map((view) => [view.name, view.query])).toEqual([
      ["Academic", "track=ACADEMIC&assigned=none"],
      ["Risky production", "q=risk%3A%3E%3D4&stage=PRODUCTION"],
    ]);
    const [academic] = views;
    await renameView({ actor: reviewer, input: { viewId: academic?.id, name: "Academic, unassigned" } });
    expect((await listSavedViews({ actor: reviewer })).map((view) => view.name)).toEqual(["Academic, unassigned", "Risky production"]);
    await deleteView({ actor: reviewer, input: { viewId: academic?.id } });
    expect((await listSavedViews({ actor: reviewer })).map((view) => view.name)).toEqual(["Risky production"]);
  });

  it("refuses an empty name, a long name, a duplicate name and a view of nothing, with a message for the field", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    await expect(saveView({ actor: reviewer, input: { name: " ", q: "disagreement" } })).rejects.toMatchObject({ kind: "invalid", fieldErrors: { name: ["Name the view."] } });
    await expect(saveView({ actor: reviewer, input: { name: "x".repeat(61), q: "disagreement" } })).rejects.toMatchObject({ fieldErrors: { name: ["Keep the name under 60 characters."] } });
    await expect(saveView({ actor: reviewer, input: { name: "Nothing" } })).rejects.toThrow(/Search or filter the queue first/);
    await saveView({ actor: reviewer, input: { name: "Mine", assigned: "me" } });
    await expect(saveView({ actor: reviewer, input: { name: "Mine", q: "disagreement" } })).rejects.toMatchObject({ kind: "conflict", fieldErrors: { name: [expect.stringContaining("already have a view named “Mine”")] } });
    const other = await saveView({ actor: reviewer, input: { name: "Other", q: "high-risk" } });
    await expect(renameView({ actor: reviewer, input: { viewId: other?.id, name: "Mine" } })).rejects.toMatchObject({ kind: "conflict" });
  });

  it(`allows at most ${MAX_SAVED_VIEWS} views per user, and says so`, async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    await db.savedView.createMany({ data: Array.from({ length: MAX_SAVED_VIEWS }, (_, index) => ({ userId: reviewer.id, name: `View ${index}`, query: "q=x" })) });
    await expect(saveView({ actor: reviewer, input: { name: "One more", q: "x" } })).rejects.toThrow(`You have ${MAX_SAVED_VIEWS} saved views, the most allowed. Delete one first.`);
    // Another user's count is their own.
    const other = await createUser({ role: "REVIEWER" });
    await expect(saveView({ actor: other, input: { name: "One more", q: "x" } })).resolves.toMatchObject({ name: "One more" });
  });

  it("another user can neither see, rename nor delete someone's view", async () => {
    const owner = await createUser({ role: "REVIEWER" });
    const view = await saveView({ actor: owner, input: { name: "Private", q: "disagreement" } });
    const outsider = await createUser({ role: "ADMIN" });
    expect(await listSavedViews({ actor: outsider })).toEqual([]);
    await expect(renameView({ actor: outsider, input: { viewId: view?.id, name: "Taken" } })).rejects.toMatchObject({ kind: "not_found" });
    await expect(deleteView({ actor: outsider, input: { viewId: view?.id } })).rejects.toMatchObject({ kind: "not_found" });
    expect(await db.savedView.findUniqueOrThrow({ where: { id: view?.id } })).toMatchObject({ name: "Private", userId: owner.id });
  });

  it.each([
    ["an applicant", { role: "APPLICANT" as const }],
    ["a suspended reviewer", { role: "REVIEWER" as const, status: "SUSPENDED" as const }],
  ])("%s may not use saved views", async (_, account) => {
    const actor = await createUser(account);
    await expect(saveView({ actor, input: { name: "Mine", q: "x" } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(listSavedViews({ actor })).rejects.toMatchObject({ kind: "forbidden" });
    expect(await db.savedView.count({ where: { userId: actor.id } })).toBe(0);
  });
});
