import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getCategoryForAdmin, getCategoryDefaultScopes, listActiveCategories, listAllCategories } from "@/lib/categories/queries";
import { createCategory, moveCategory, setCategoryRetired, updateCategory, updateCategoryScopes } from "@/lib/categories/service";
import { defaultDevelopmentScopes } from "@/lib/keys/scopes";
import { createUser } from "@/tests/support/factories";
import { createApplicationIn, createCategoryRow, createOrganizationWith } from "@/tests/support/orgs-factories";

const validInput = (slug: string) => ({
  slug,
  name: "Meeting notes",
  status: "CASE_BY_CASE",
  description: "Summaries of meetings.",
  examples: "Summarise a transcript\n\n  Action items  \n",
  safeguards: "Human review",
});

describe("use-case categories", () => {
  it("an admin creates a category at the end of the order, with lines parsed into lists", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await createCategoryRow({ position: 5 });
    const category = await createCategory({ actor: admin, input: validInput("Meeting-Notes") });
    expect(category).toMatchObject({ slug: "meeting-notes", position: 6, examples: ["Summarise a transcript", "Action items"], safeguards: ["Human review"] });
    await expect(db.auditLog.count({ where: { action: "category.created", targetId: category.id } })).resolves.toBe(1);
  });

  it("applicants and reviewers are refused every category change", async () => {
    const category = await createCategoryRow();
    for (const role of ["APPLICANT", "REVIEWER"] as const) {
      const actor = await createUser({ role });
      await expect(createCategory({ actor, input: validInput(`x-${role.toLowerCase()}`) })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(updateCategory({ actor, input: { ...validInput("y"), id: category.id } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(moveCategory({ actor, input: { id: category.id, direction: "up" } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(setCategoryRetired({ actor, input: { id: category.id, retired: true } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(updateCategoryScopes({ actor, input: { id: category.id } })).rejects.toMatchObject({ kind: "forbidden" });
      await expect(listAllCategories({ actor })).rejects.toMatchObject({ kind: "forbidden" });
    }
  });

  it("explains invalid input and refuses a duplicate slug", async () => {
    const admin = await createUser({ role: "ADMIN" });
    await expect(createCategory({ actor: admin, input: { slug: "Bad slug!", name: "", status: "MAYBE", description: "" } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: {
        slug: [expect.stringContaining("lowercase letters")],
        name: ["Enter a name."],
        status: ["Choose whether this use case is supported."],
        description: ["Describe the category."],
      },
    });
    const existing = await createCategoryRow();
    await expect(createCategory({ actor: admin, input: validInput(existing.slug) })).rejects.toMatchObject({
      kind: "conflict",
      fieldErrors: { slug: [expect.stringContaining("already uses this slug")] },
    });
    const other = await createCategoryRow();
    await expect(updateCategory({ actor: admin, input: { ...validInput(existing.slug), id: other.id } })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("edits a category", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const category = await createCategoryRow();
    await updateCategory({ actor: admin, input: { ...validInput(category.slug), id: category.id, name: "Renamed", status: "NOT_SUPPORTED" } });
    await expect(getCategoryForAdmin({ actor: admin, id: category.id })).resolves.toMatchObject({ name: "Renamed", status: "NOT_SUPPORTED" });
    await expect(updateCategory({ actor: admin, input: { ...validInput("nope"), id: "missing" } })).rejects.toMatchObject({ kind: "not_found" });
  });

  it("moves categories up and down, and does nothing past either end", async () => {
    const admin = await createUser({ role: "ADMIN" });
    // This file shares one database: start from an empty policy so the order is only these three.
    await db.application.deleteMany();
    await db.useCaseCategory.deleteMany();
    const a = await createCategoryRow({ slug: "a-first", position: 0 });
    const b = await createCategoryRow({ slug: "b-second", position: 0 });
    const c = await createCategoryRow({ slug: "c-third", position: 3 });
    const order = async () => (await listAllCategories({ actor: admin })).map((row) => row.slug);
    expect(await order()).toEqual(["a-first", "b-second", "c-third"]);
    await moveCategory({ actor: admin, input: { id: c.id, direction: "up" } });
    expect(await order()).toEqual(["a-first", "c-third", "b-second"]);
    await moveCategory({ actor: admin, input: { id: a.id, direction: "down" } });
    expect(await order()).toEqual(["c-third", "a-first", "b-second"]);
    await expect(moveCategory({ actor: admin, input: { id: c.id, direction: "up" } })).resolves.toEqual({ moved: false });
    await expect(moveCategory({ actor: admin, input: { id: b.id, direction: "down" } })).resolves.toEqual({ moved: false });
    expect((await listActiveCategories()).map((row) => row.slug)).toEqual(["c-third", "a-first", "b-second"]);
  });

  it("retiring hides a category from the policy but keeps it on existing applications", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const applicant = await createUser();
    const category = await createCategoryRow();
    const org = await createOrganizationWith({ owner: applicant });
    const application = await createApplicationIn({ organizationId: org.id, createdById: applicant.id, categoryId: category.id });

    await setCategoryRetired({ actor: admin, input: { id: category.id, retired: "true" } });
    expect((await listActiveCategories()).map((row) => row.id)).not.toContain(category.id);
    expect((await listAllCategories({ actor: admin })).find((row) => row.id === category.id)).toMatchObject({ applicationCount: 1, retiredAt: expect.any(Date) });
    await expect(db.application.findUniqueOrThrow({ where: { id: application.id } })).resolves.toMatchObject({ categoryId: category.id });

    await setCategoryRetired({ actor: admin, input: { id: category.id, retired: "false" } });
    expect((await listActiveCategories()).map((row) => row.id)).toContain(category.id);
  });

  it("default scopes fall back to the sandbox defaults and are saved from the form", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const category = await createCategoryRow();
    await expect(getCategoryDefaultScopes(category.id)).resolves.toEqual(defaultDevelopmentScopes);
    await expect(
      updateCategoryScopes({ actor: admin, input: { id: category.id, models: "gatehouse-ngram", endpoints: [], maxPromptTokens: "0", inputFilter: "strict", outputFilter: "strict" } }),
    ).rejects.toMatchObject({ kind: "invalid", fieldErrors: { endpoints: ["Allow at least one endpoint."], maxPromptTokens: [expect.stringContaining("at least 1")] } });
    const saved = await updateCategoryScopes({
      actor: admin,
      input: {
        id: category.id,
        models: "gatehouse-ngram, other-model",
        endpoints: "chat.completions",
        maxPromptTokens: "1000",
        maxCompletionTokens: "100",
        requestsPerMinute: "10",
        tokensPerMinute: "5000",
        monthlyTokenQuota: "200000",
        requireEndUserId: "on",
        perEndUserRequestsPerMinute: "",
        inputFilter: "strict",
        outputFilter: "off",
      },
    });
    expect(saved).toMatchObject({ models: ["gatehouse-ngram", "other-model"], endpoints: ["chat.completions"], maxPromptTokens: 1000, requireEndUserId: true, perEndUserRequestsPerMinute: null, inputFilter: "strict", outputFilter: "off", topics: [] });
    await expect(getCategoryDefaultScopes(category.id)).resolves.toEqual(saved);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "category.scopes_updated", targetId: category.id } });
    expect(audit.data).toMatchObject({ to: { inputFilter: "strict", outputFilter: "off", maxPromptTokens: 1000 } });
    expect(Object.keys((audit.data as { to: object }).to)).not.toContain("topics");
  });
});
