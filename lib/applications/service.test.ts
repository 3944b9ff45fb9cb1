import { describe, expect, it } from "vitest";
import { diffSnapshots } from "@/lib/applications/diff";
import {
  getApplicationForApplicant,
  listApplicationEvents,
  listApplicationsForUser,
  listApplicationVersions,
  listVersionsForStaff,
  APPLICATIONS_PAGE_SIZE,
} from "@/lib/applications/queries";
import { createApplication, createProductionReview, saveDraft, submitApplication, withdrawApplication } from "@/lib/applications/service";
import type { ApplicationStatus } from "@/lib/applications/status";
import { db } from "@/lib/db";
import { listMessages, postMessage } from "@/lib/messages/service";
import { claimApplication } from "@/lib/reviews/service";
import { completeInput, createCategory, createOrganizationWith } from "@/tests/support/application-factories";
import { createUser } from "@/tests/support/factories";
import { calendarDateIn } from "@/lib/validation";

async function arrange() {
  const owner = await createUser();
  const teammate = await createUser();
  const organization = await createOrganizationWith({ owner, members: [teammate] });
  const category = await createCategory();
  const { id } = await createApplication({ actor: owner, input: { organizationId: organization.id } });
  return { owner, teammate, organization, category, id };
}

async function setStatus(id: string, status: ApplicationStatus) {
  await db.application.update({ where: { id }, data: { status } });
}

async function submitted() {
  const context = await arrange();
  await submitApplication({ actor: context.owner, input: completeInput(context.id, context.category.id) });
  return context;
}

describe("drafts", () => {
  it("starts a draft with a drafted event and keeps partial answers", async () => {
    const { owner, id } = await arrange();
    await saveDraft({ actor: owner, input: { applicationId: id, productName: "Half done", answers: { risk: { harms: "Misrouting" } } } });
    const application = await getApplicationForApplicant({ actor: owner, applicationId: id });
    expect(application).toMatchObject({ status: "DRAFT", productName: "Half done", answers: { risk: { harms: "Misrouting" } } });
    const events = await listApplicationEvents({ actor: owner, applicationId: id });
    expect(events.map((event) => event.type)).toEqual(["drafted"]);
    expect(events[0]?.actor?.id).toBe(owner.id);
  });

  it("a teammate in the same organisation can edit the draft", async () => {
    const { teammate, id } = await arrange();
    await expect(saveDraft({ actor: teammate, input: { applicationId: id, productName: "Team edit" } })).resolves.toMatchObject({ id });
  });

  it("refuses a category that does not exist", async () => {
    const { owner, id } = await arrange();
    await expect(saveDraft({ actor: owner, input: { applicationId: id, categoryId: "nope" } })).rejects.toMatchObject({
      kind: "invalid",
      fieldErrors: { categoryId: ["Choose one of the listed categories."] },
    });
  });

  it("cannot start an application for an organisation the actor is not a member of", async () => {
    const { organization } = await arrange();
    const outsider = await createUser();
    await expect(createApplication({ actor: outsider, input: { organizationId: organization.id } })).rejects.toMatchObject({ kind: "not_found" });
  });

  it.each(["SUBMITTED", "IN_REVIEW", "APPROVED", "REJECTED", "WITHDRAWN"] as const)("a %s application cannot be edited", async (status) => {
    const { owner, id } = await arrange();
    await setStatus(id, status);
    await expect(saveDraft({ actor: owner, input: { applicationId: id, productName: "Late edit" } })).rejects.toMatchObject({ kind: "conflict" });
  });
});

describe("submission", () => {
  it("refuses an incomplete application with a message per missing field, and keeps the draft", async () => {
    const { owner, id, category } = await arrange();
    const error = await submitApplication({
      actor: owner,
      input: completeInput(id, category.id, { "answers.risk.harms": "", "answers.misusePlan.safeguards": undefined, productName: "Kept name" }),
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "invalid" });
    expect(error).toHaveProperty("fieldErrors.answers\\.risk\\.harms", ["Describe what could go wrong."]);
    expect(error).toHaveProperty("fieldErrors.answers\\.misusePlan\\.safeguards", ["Choose at least one safeguard."]);
    const application = await getApplicationForApplicant({ actor: owner, applicationId: id });
    expect(application).toMatchObject({ status: "DRAFT", productName: "Kept name", currentVersion: 0 });
  });

  it("saves a draft with a go-live date that has passed, but refuses to submit it until the date is changed", async () => {
    const { owner, id, category } = await arrange();
    const passed = calendarDateIn(-3);
    const error = await submitApplication({ actor: owner, input: completeInput(id, category.id, { "answers.goLiveDate": passed }) }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "invalid" });
    expect(error).toHaveProperty("fieldErrors.answers\\.goLiveDate", ["The go-live date has passed: enter today or a later date."]);
    const draft = await getApplicationForApplicant({ actor: owner, applicationId: id });
    expect(draft).toMatchObject({ status: "DRAFT", answers: { goLiveDate: passed } });
    await submitApplication({ actor: owner, input: completeInput(id, category.id, { "answers.goLiveDate": calendarDateIn(0) }) });
    expect((await getApplicationForApplicant({ actor: owner, applicationId: id })).status).toBe("SUBMITTED");
  });

  it("refuses a not-supported category with its explanation", async () => {
    const { owner, id } = await arrange();
    const notSupported = await createCategory({ status: "NOT_SUPPORTED" });
    const error = await submitApplication({ actor: owner, input: completeInput(id, notSupported.id) }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "invalid" });
    expect(String((error as Error).message)).toContain("is not a supported use case");
    expect(String((error as Error).message)).toContain(notSupported.description);
    expect((await getApplicationForApplicant({ actor: owner, applicationId: id })).status).toBe("DRAFT");
  });

  it("submits version 1 with a snapshot, a submitted event and a note to teammates", async () => {
    const { owner, teammate, id, category } = await submitted();
    const application = await getApplicationForApplicant({ actor: owner, applicationId: id });
    expect(application).toMatchObject({ status: "SUBMITTED", currentVersion: 1, priority: 0 });
    expect(application.submittedAt).toBeInstanceOf(Date);
    const versions = await listApplicationVersions({ actor: owner, applicationId: id });
    expect(versions).toHaveLength(1);
    expect(versions[0]?.snapshot).toMatchObject({
      productName: "Ticket triage",
      category: { id: category.id, name: category.name },
      answers: { endUsers: { expectedUsers: 40, authenticated: true }, misusePlan: { safeguards: ["HUMAN_IN_THE_LOOP", "ACTIVE_MONITORING"] } },
    });
    const events = await listApplicationEvents({ actor: owner, applicationId: id });
    expect(events.map((event) => event.type)).toEqual(["drafted", "submitted"]);
    expect(await db.notification.count({ where: { userId: teammate.id } })).toBe(1);
    expect(await db.notification.count({ where: { userId: owner.id } })).toBe(0);
  });

  it.each(["SUBMITTED", "IN_REVIEW", "APPROVED", "REJECTED", "WITHDRAWN"] as const)("a %s application cannot be submitted", async (status) => {
    const { owner, id, category } = await arrange();
    await saveDraft({ actor: owner, input: completeInput(id, category.id) });
    await setStatus(id, status);
    await expect(submitApplication({ actor: owner, input: { applicationId: id } })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("requested changes reopen editing; the resubmission is version 2 and reviewers with a claim are told", async () => {
    const { owner, id, category } = await submitted();
    const reviewer = await createUser({ role: "REVIEWER" });
    await db.reviewAssignment.create({ data: { applicationId: id, reviewerId: reviewer.id } });
    await setStatus(id, "CHANGES_REQUESTED");
    await saveDraft({ actor: owner, input: completeInput(id, category.id, { "answers.risk.harms": "Misrouted urgent tickets." }) });
    const result = await submitApplication({ actor: owner, input: { applicationId: id } });
    expect(result).toEqual({ id, version: 2, status: "SUBMITTED" });
    const versions = await listApplicationVersions({ actor: owner, applicationId: id });
    expect(versions.map((version) => version.version)).toEqual([2, 1]);
    const [latest, previous] = versions;
    if (!latest || !previous) throw new Error("expected two versions");
    expect(diffSnapshots(previous.snapshot, latest.snapshot)).toEqual([
      { path: "answers.risk.harms", label: "3. Risk: what could go wrong?", before: "A ticket is misrouted and answered late.", after: "Misrouted urgent tickets." },
    ]);
    const events = await listApplicationEvents({ actor: owner, applicationId: id });
    expect(events.map((event) => event.type)).toEqual(["drafted", "submitted", "resubmitted"]);
    expect((await listVersionsForStaff({ actor: reviewer, applicationId: id })).map((version) => version.version)).toEqual([2, 1]);
    await expect(listVersionsForStaff({ actor: owner, applicationId: id })).rejects.toMatchObject({ kind: "forbidden" });
    const notifications = await db.notification.findMany({ where: { userId: reviewer.id } });
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.href).toBe(`/review/applications/${id}`);
  });
});

describe("withdrawal", () => {
  it("withdraws a submitted application, and a withdrawn one cannot be resubmitted or edited", async () => {
    const { owner, id, category } = await submitted();
    await expect(withdrawApplication({ actor: owner, input: { applicationId: id } })).resolves.toEqual({ id, status: "WITHDRAWN" });
    const events = await listApplicationEvents({ actor: owner, applicationId: id });
    expect(events.at(-1)?.type).toBe("withdrawn");
    await expect(submitApplication({ actor: owner, input: { applicationId: id } })).rejects.toMatchObject({ kind: "conflict" });
    await expect(submitApplication({ actor: owner, input: completeInput(id, category.id) })).rejects.toMatchObject({ kind: "conflict" });
  });

  it.each(["APPROVED", "REJECTED", "WITHDRAWN"] as const)("a %s application cannot be withdrawn", async (status) => {
    const { owner, id } = await arrange();
    await setStatus(id, status);
    await expect(withdrawApplication({ actor: owner, input: { applicationId: id } })).rejects.toMatchObject({ kind: "conflict" });
  });
});

describe("academic track", () => {
  it.each([
    ["FAIRNESS_REPRESENTATION", 10],
    ["SAFETY_ALIGNMENT", 5],
  ] as const)("a %s study gets priority %i, and submission needs the academic answers", async (focusArea, priority) => {
    const owner = await createUser();
    const organization = await createOrganizationWith({ owner });
    const category = await createCategory();
    const { id } = await createApplication({ actor: owner, input: { organizationId: organization.id, track: "ACADEMIC" } });
    expect((await getApplicationForApplicant({ actor: owner, applicationId: id })).priority).toBe(5);
    await expect(submitApplication({ actor: owner, input: completeInput(id, category.id) })).rejects.toHaveProperty("fieldErrors.academic\\.institution", ["Name your institution."]);
    await submitApplication({
      actor: owner,
      input: completeInput(id, category.id, {
        "academic.institution": "University of Somewhere",
        "academic.researchQuestion": "How do completions represent occupations by gender?",
        "academic.focusArea": focusArea,
        "academic.ethicsApproval": "APPROVED",
      }),
    });
    const application = await getApplicationForApplicant({ actor: owner, applicationId: id });
    expect(application).toMatchObject({ status: "SUBMITTED", track: "ACADEMIC", priority, academic: { focusArea } });
  });
});

describe("production review", () => {
  it("is requested from an approved access request, pre-filled, and needs the live product answers", async () => {
    const { owner, id, category } = await submitted();
    await expect(createProductionReview({ actor: owner, input: { applicationId: id } })).rejects.toMatchObject({ kind: "conflict" });
    await setStatus(id, "APPROVED");
    const child = await createProductionReview({ actor: owner, input: { applicationId: id } });
    const production = await getApplicationForApplicant({ actor: owner, applicationId: child.id });
    expect(production).toMatchObject({
      stage: "PRODUCTION",
      status: "DRAFT",
      parent: { id },
      categoryId: category.id,
      productName: "Ticket triage",
      answers: { supportedUseCase: "Classifies incoming tickets into one of eight queues." },
    });
    await expect(createProductionReview({ actor: owner, input: { applicationId: id } })).rejects.toMatchObject({ kind: "conflict" });
    await expect(submitApplication({ actor: owner, input: completeInput(child.id, category.id) })).rejects.toHaveProperty(
      "fieldErrors.answers\\.production\\.liveProduct",
      ["Describe the live product as it is built."],
    );
    await submitApplication({
      actor: owner,
      input: completeInput(child.id, category.id, { "answers.production.liveProduct": "Live in our help desk.", "answers.production.safeguardsAsBuilt": "Sampling and re-routing." }),
    });
    expect((await getApplicationForApplicant({ actor: owner, applicationId: child.id })).status).toBe("SUBMITTED");
  });
});

describe("outsiders", () => {
  it("another applicant gets not_found from every read and write of someone else's application", async () => {
    const { id, category } = await submitted();
    const outsider = await createUser();
    await createOrganizationWith({ owner: outsider });
    const refused = { kind: "not_found" };
    await expect(getApplicationForApplicant({ actor: outsider, applicationId: id })).rejects.toMatchObject(refused);
    await expect(listApplicationEvents({ actor: outsider, applicationId: id })).rejects.toMatchObject(refused);
    await expect(listApplicationVersions({ actor: outsider, applicationId: id })).rejects.toMatchObject(refused);
    await expect(saveDraft({ actor: outsider, input: { applicationId: id, productName: "Hijack" } })).rejects.toMatchObject(refused);
    await expect(submitApplication({ actor: outsider, input: completeInput(id, category.id) })).rejects.toMatchObject(refused);
    await expect(withdrawApplication({ actor: outsider, input: { applicationId: id } })).rejects.toMatchObject(refused);
    await expect(createProductionReview({ actor: outsider, input: { applicationId: id } })).rejects.toMatchObject(refused);
    await expect(listMessages({ actor: outsider, applicationId: id })).rejects.toMatchObject(refused);
    await expect(postMessage({ actor: outsider, input: { applicationId: id, body: "Hello" } })).rejects.toMatchObject(refused);
    expect((await listApplicationsForUser({ actor: outsider, input: {} })).total).toBe(0);
    await expect(listVersionsForStaff({ actor: outsider, applicationId: id })).rejects.toMatchObject({ kind: "forbidden" });
  });
});

describe("the applicant's list and thread", () => {
  it("lists only the actor's organisations' applications, a page at a time", async () => {
    const owner = await createUser();
    const organization = await createOrganizationWith({ owner });
    for (let index = 0; index <= APPLICATIONS_PAGE_SIZE; index += 1) await createApplication({ actor: owner, input: { organizationId: organization.id } });
    await arrange();
    const first = await listApplicationsForUser({ actor: owner, input: { page: "1" } });
    const second = await listApplicationsForUser({ actor: owner, input: { page: "2" } });
    expect(first).toMatchObject({ total: APPLICATIONS_PAGE_SIZE + 1, pageCount: 2 });
    expect(first.applications).toHaveLength(APPLICATIONS_PAGE_SIZE);
    expect(second.applications).toHaveLength(1);
  });

  it("applicants never see reviewers' internal notes", async () => {
    const { owner, id } = await submitted();
    const reviewer = await createUser({ role: "REVIEWER" });
    await postMessage({ actor: reviewer, input: { applicationId: id, body: "Please clarify the volume." } });
    await postMessage({ actor: reviewer, input: { applicationId: id, body: "Internal: looks low risk.", isInternal: true } });
    await postMessage({ actor: owner, input: { applicationId: id, body: "About 10,000 a month." } });
    await expect(postMessage({ actor: owner, input: { applicationId: id, body: "Sneaky", isInternal: true } })).rejects.toMatchObject({ kind: "forbidden" });
    const thread = await listMessages({ actor: owner, applicationId: id });
    expect(thread.map((message) => message.body)).toEqual(["Please clarify the volume.", "About 10,000 a month."]);
  });

  it("an applicant's reply reaches the staff working on it: the claiming reviewer and whoever wrote to them, not other reviewers", async () => {
    const { owner, id } = await submitted();
    const claimer = await createUser({ role: "REVIEWER" });
    const writer = await createUser({ role: "ADMIN" });
    const bystander = await createUser({ role: "REVIEWER" });
    await claimApplication({ actor: claimer, input: { applicationId: id } });
    await postMessage({ actor: writer, input: { applicationId: id, body: "Which safeguards are live?" } });
    await postMessage({ actor: bystander, input: { applicationId: id, body: "Internal only.", isInternal: true } });
    await postMessage({ actor: owner, input: { applicationId: id, body: "All of them." } });
    const told = async (userId: string) => db.notification.count({ where: { userId, href: `/review/applications/${id}` } });
    expect([await told(claimer.id), await told(writer.id), await told(bystander.id)]).toEqual([1, 1, 0]);
  });
});
