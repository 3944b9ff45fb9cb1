"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { saveDraftAction, submitApplicationAction } from "@/lib/actions/applications";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { snapshotFields } from "@/lib/applications/diff";
import { createDraftSaver, type DraftSaver, type SaveState } from "@/lib/applications/draft-saver";
import {
  audiences,
  ethicsStatuses,
  focusAreas,
  optionLabel,
  outputStyles,
  safeguardOptions,
  sensitiveDomains,
  submissionSchemaFor,
  unflattenFormValues,
  type Stage,
  type Track,
} from "@/lib/applications/schema";
import type { FieldErrors } from "@/lib/errors";
import { fieldErrorsOf, formDataToObject } from "@/lib/validation";
import { ChoiceField, Field, SelectField, TextareaField } from "@/components/ui/field";

export interface CategoryOption {
  id: string;
  name: string;
  description: string;
  status: "SUPPORTED" | "CASE_BY_CASE" | "NOT_SUPPORTED";
}

type StepId = "product" | "use-case" | "risk" | "end-users" | "academic" | "production" | "review";
interface Step {
  id: StepId;
  title: string;
  /** Field-name prefixes that belong to the step, to jump to the first step with an error. */
  prefixes: string[];
}

function stepsFor(track: Track, stage: Stage): Step[] {
  return [
    { id: "product", title: "Product", prefixes: ["productName", "description", "categoryId"] },
    { id: "use-case", title: "Use case and open-endedness", prefixes: ["answers.supportedUseCase", "answers.openEndedness"] },
    { id: "risk", title: "Risk and misuse", prefixes: ["answers.risk", "answers.misusePlan"] },
    { id: "end-users", title: "End users and launch", prefixes: ["answers.endUsers", "answers.expectedVolume", "answers.goLiveDate"] },
    ...(track === "ACADEMIC" ? [{ id: "academic" as const, title: "Academic research", prefixes: ["academic"] }] : []),
    ...(stage === "PRODUCTION" ? [{ id: "production" as const, title: "Live product", prefixes: ["answers.production"] }] : []),
    { id: "review", title: "Review and submit", prefixes: [] },
  ];
}

const options = (values: readonly string[]) => values.map((value) => ({ value, label: optionLabel(value) }));
const yesNo = [
  { value: "true", label: "Yes" },
  { value: "false", label: "No" },
];
const categoryStatusText = { SUPPORTED: "supported", CASE_BY_CASE: "case by case", NOT_SUPPORTED: "not supported" } as const;
const labelOf = new Map(snapshotFields.map((field) => [field.path, field.label]));

const saveStateText = { idle: "", unsaved: "Unsaved changes", saving: "Saving…", saved: "Draft saved", error: "Not saved" } as const;
/** Typing pauses this long before the form saves itself (leaving a field or a step saves at once). */
const AUTOSAVE_IDLE_MS = 1_000;

export function ApplicationForm({
  applicationId,
  track,
  stage,
  isResubmission,
  categories,
  initialValues,
  initialStep,
}: {
  applicationId: string;
  track: Track;
  stage: Stage;
  isResubmission: boolean;
  categories: CategoryOption[];
  initialValues: Record<string, string | string[]>;
  initialStep?: string;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const steps = stepsFor(track, stage);
  const [stepIndex, setStepIndex] = useState(() => Math.max(0, steps.findIndex((step) => step.id === initialStep)));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" }>();
  const [saveState, setSaveState] = useState<SaveState>("idle");
  // What the review step lists as still to answer; null until it has been read from the form.
  const [missing, setMissing] = useState<FieldProblem[] | null>(null);
  const [categoryId, setCategoryId] = useState(typeof initialValues.categoryId === "string" ? initialValues.categoryId : "");
  const [isSubmitting, startSubmit] = useTransition();
  const saver = useRef<DraftSaver | null>(null);
  const idleTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const value = (name: string) => {
    const found = initialValues[name];
    return typeof found === "string" ? found : undefined;
  };
  const values = (name: string) => {
    const found = initialValues[name];
    return Array.isArray(found) ? found : typeof found === "string" ? [found] : [];
  };
  const chosenCategory = categories.find((category) => category.id === categoryId);

  const currentFormData = () => readForm(formRef.current, applicationId).data;

  /** Saves the whole form when it changed since the last save; saves run one after another. */
  function save({ force = false }: { force?: boolean } = {}): Promise<unknown> {
    clearTimeout(idleTimer.current);
    const { data, snapshot } = readForm(formRef.current, applicationId);
    return saver.current?.save(snapshot, () => saveDraftAction(data), { force }) ?? Promise.resolve();
  }

  // One saver per page (per application), made once the form is in the document.
  useEffect(() => {
    const snapshot = () => readForm(formRef.current, applicationId).snapshot;
    saver.current = createDraftSaver({
      initialSnapshot: snapshot(),
      current: snapshot,
      onState: (state, outcome) => {
        setSaveState(state);
        if (!outcome) return;
        if (outcome.ok) {
          setFieldErrors({});
          setMessage((shown) => (shown?.text.startsWith("Not saved") ? undefined : shown));
        } else {
          setFieldErrors(outcome.fieldErrors ?? {});
          setMessage({ text: `Not saved: ${outcome.message}`, tone: "error" });
        }
      },
    });
    // Leaving the page (reload, closing the tab, another address) while an answer is unsaved asks first, and starts
    // the save in case the user stays.
    function onBeforeUnload(event: BeforeUnloadEvent) {
      const { data, snapshot: content } = readForm(formRef.current, applicationId);
      if (!saver.current?.hasUnsaved(content)) return;
      void saver.current.save(content, () => saveDraftAction(data));
      event.preventDefault();
    }
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      clearTimeout(idleTimer.current);
    };
  }, [applicationId]);

  /** Typing saves once it pauses, so an answer is kept even if the user never leaves the field. */
  function saveWhenIdle() {
    setSaveState("unsaved");
    clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(() => void save(), AUTOSAVE_IDLE_MS);
  }

  // The review step lists what is missing whenever it is shown: reached by the step buttons, or opened (and
  // reloaded) at ?step=review.
  const stepId = steps[stepIndex]?.id;
  useEffect(() => {
    if (stepId === "review") setMissing(missingAnswers(formRef.current, applicationId, track, stage));
  }, [stepId, applicationId, track, stage]);

  /** Shows step `index` and puts it in the address, so a reload opens it again. */
  function showStep(index: number) {
    const step = steps[index];
    if (!step) return;
    setStepIndex(index);
    const url = new URL(window.location.href);
    url.searchParams.set("step", step.id);
    window.history.replaceState(null, "", url);
  }

  function goTo(index: number) {
    void save();
    setMessage(undefined);
    showStep(index);
  }

  function stepOf(name: string): number {
    return Math.max(0, steps.findIndex((step) => step.prefixes.some((prefix) => name === prefix || name.startsWith(`${prefix}.`))));
  }

  function onSubmit() {
    clearTimeout(idleTimer.current);
    startSubmit(async () => {
      await saver.current?.settled();
      const result = await submitApplicationAction(currentFormData());
      if (result.ok) {
        router.push(`/applicant/applications/${applicationId}?submitted=1`);
        router.refresh();
        return;
      }
      setFieldErrors(result.fieldErrors);
      setMessage({ text: result.message, tone: "error" });
      const firstError = Object.keys(result.fieldErrors)[0];
      if (firstError) showStep(stepOf(firstError));
    });
  }

  const errorsFor = (name: string) => fieldErrors[name];
  const step = steps[stepIndex] ?? steps[0];
  const shown = (id: StepId) => step?.id === id;
  // Answers refused on another step than this one (a save after "Next"): named here, with a way to each.
  const refusedElsewhere = Object.entries(fieldErrors).filter(([name]) => stepOf(name) !== stepIndex);
  const stepsWithErrors = new Set(Object.keys(fieldErrors).map(stepOf));

  return (
    <div className="space-y-6">
      <nav aria-label="Form steps">
        <ol className="flex flex-wrap gap-2 text-sm">
          {steps.map((item, index) => (
            <li key={item.id}>
              <button
                type="button"
                onClick={() => goTo(index)}
                aria-current={index === stepIndex ? "step" : undefined}
                className={`rounded-full px-3 py-1 ring-1 ring-inset ${index === stepIndex ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
              >
                {index + 1}. {item.title}
                {stepsWithErrors.has(index) ? <span className={index === stepIndex ? "" : "text-red-700"}> (needs correcting)</span> : null}
              </button>
            </li>
          ))}
        </ol>
      </nav>

      {message ? <FormMessage message={message.text} tone={message.tone} /> : <FormMessage />}
      {refusedElsewhere.length > 0 ? (
        <ul aria-label="Answers to correct on other steps" className="list-disc space-y-1 pl-5 text-sm text-red-800">
          {refusedElsewhere.map(([name, messages]) => (
            <li key={name}>
              <button type="button" className="underline" onClick={() => goTo(stepOf(name))}>
                {labelOf.get(name) ?? labelForForm(name)}
              </button>
              : {(messages ?? []).join(" ")}
            </li>
          ))}
        </ul>
      ) : null}

      <form method="post"
        ref={formRef}
        noValidate
        onBlur={() => void save()}
        onInput={saveWhenIdle}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
        className="space-y-6 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200"
      >
        <h2 className="text-lg font-semibold">
          Step {stepIndex + 1} of {steps.length}: {step?.title}
        </h2>

        <div hidden={!shown("product")} className="space-y-4">
          <Field label="Product name" name="productName" defaultValue={value("productName")} errors={errorsFor("productName")} />
          <TextareaField label="Product description" name="description" defaultValue={value("description")} errors={errorsFor("description")} />
          <SelectField label="Use-case category" name="categoryId" defaultValue={value("categoryId") ?? ""} errors={errorsFor("categoryId")} onChange={(event) => setCategoryId(event.target.value)}>
            <option value="">Choose…</option>
            {categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name} ({categoryStatusText[category.status]})
              </option>
            ))}
          </SelectField>
          {chosenCategory?.status === "NOT_SUPPORTED" ? (
            <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200">
              <p className="font-semibold">“{chosenCategory.name}” is not a supported use case.</p>
              <p>{chosenCategory.description} Applications in this category cannot be submitted; choose another category if your product fits one.</p>
            </div>
          ) : chosenCategory?.status === "CASE_BY_CASE" ? (
            <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-800 ring-1 ring-amber-200">
              “{chosenCategory.name}” is reviewed case by case: {chosenCategory.description}
            </p>
          ) : chosenCategory ? (
            <p className="text-sm text-slate-600">{chosenCategory.description}</p>
          ) : null}
        </div>

        <div hidden={!shown("use-case")} className="space-y-4">
          <TextareaField
            label="1. Supported use case: what does your product do with the model, and why does it fit the category?"
            name="answers.supportedUseCase"
           
            defaultValue={value("answers.supportedUseCase")}
            errors={errorsFor("answers.supportedUseCase")}
          />
          <ChoiceField
            legend="2. Open-endedness: how constrained are the outputs?"
            name="answers.openEndedness.outputStyle"
            options={options(outputStyles)}
            defaultValue={value("answers.openEndedness.outputStyle")}
            errors={errorsFor("answers.openEndedness.outputStyle")}
          />
          <Field label="Expected prompt length" name="answers.openEndedness.promptLength" defaultValue={value("answers.openEndedness.promptLength")} errors={errorsFor("answers.openEndedness.promptLength")} hint="For example “about 300 tokens”." />
          <Field label="Expected output length" name="answers.openEndedness.outputLength" defaultValue={value("answers.openEndedness.outputLength")} errors={errorsFor("answers.openEndedness.outputLength")} hint="For example “under 200 words”." />
          <ChoiceField
            legend="Can end users write arbitrary prompts?"
            name="answers.openEndedness.arbitraryPrompts"
            options={yesNo}
            defaultValue={value("answers.openEndedness.arbitraryPrompts")}
            errors={errorsFor("answers.openEndedness.arbitraryPrompts")}
          />
          <TextareaField label="Anything else about how open-ended it is (optional)" name="answers.openEndedness.details" defaultValue={value("answers.openEndedness.details")} errors={errorsFor("answers.openEndedness.details")} />
        </div>

        <div hidden={!shown("risk")} className="space-y-4">
          <ChoiceField
            legend="3. Risk: sensitive domains the product touches"
            name="answers.risk.sensitiveDomains"
            multiple
            options={options(sensitiveDomains)}
            defaultValue={values("answers.risk.sensitiveDomains")}
            errors={errorsFor("answers.risk.sensitiveDomains")}
            hint="Leave all unticked if none apply."
          />
          <TextareaField label="What could go wrong?" name="answers.risk.harms" defaultValue={value("answers.risk.harms")} errors={errorsFor("answers.risk.harms")} />
          <TextareaField label="Who could be harmed?" name="answers.risk.affectedPeople" defaultValue={value("answers.risk.affectedPeople")} errors={errorsFor("answers.risk.affectedPeople")} />
          <ChoiceField
            legend="4. Misuse plan: safeguards you use"
            name="answers.misusePlan.safeguards"
            multiple
            options={options(safeguardOptions)}
            defaultValue={values("answers.misusePlan.safeguards")}
            errors={errorsFor("answers.misusePlan.safeguards")}
          />
          <TextareaField label="How do these safeguards work in your product?" name="answers.misusePlan.details" defaultValue={value("answers.misusePlan.details")} errors={errorsFor("answers.misusePlan.details")} />
        </div>

        <div hidden={!shown("end-users")} className="space-y-4">
          <ChoiceField legend="5. End users: who uses the product?" name="answers.endUsers.audience" options={options(audiences)} defaultValue={value("answers.endUsers.audience")} errors={errorsFor("answers.endUsers.audience")} />
          <ChoiceField legend="Are end users authenticated?" name="answers.endUsers.authenticated" options={yesNo} defaultValue={value("answers.endUsers.authenticated")} errors={errorsFor("answers.endUsers.authenticated")} />
          <Field label="Expected number of end users" name="answers.endUsers.expectedUsers" type="number" defaultValue={value("answers.endUsers.expectedUsers")} errors={errorsFor("answers.endUsers.expectedUsers")} />
          <ChoiceField legend="May minors use it?" name="answers.endUsers.minorsPossible" options={yesNo} defaultValue={value("answers.endUsers.minorsPossible")} errors={errorsFor("answers.endUsers.minorsPossible")} />
          <Field label="Expected volume" name="answers.expectedVolume" defaultValue={value("answers.expectedVolume")} errors={errorsFor("answers.expectedVolume")} hint="For example “2,000 requests a month”." />
          <Field label="Go-live date" name="answers.goLiveDate" type="date" defaultValue={value("answers.goLiveDate")} errors={errorsFor("answers.goLiveDate")} />
        </div>

        {track === "ACADEMIC" ? (
          <div hidden={!shown("academic")} className="space-y-4">
            <Field label="Institution" name="academic.institution" defaultValue={value("academic.institution")} errors={errorsFor("academic.institution")} />
            <TextareaField label="Research question" name="academic.researchQuestion" defaultValue={value("academic.researchQuestion")} errors={errorsFor("academic.researchQuestion")} />
            <ChoiceField
              legend="Focus area"
              name="academic.focusArea"
              options={options(focusAreas)}
              defaultValue={value("academic.focusArea")}
              errors={errorsFor("academic.focusArea")}
              hint="Fairness and representation research is reviewed first."
            />
            <ChoiceField legend="Ethics approval" name="academic.ethicsApproval" options={options(ethicsStatuses)} defaultValue={value("academic.ethicsApproval")} errors={errorsFor("academic.ethicsApproval")} />
          </div>
        ) : null}

        {stage === "PRODUCTION" ? (
          <div hidden={!shown("production")} className="space-y-4">
            <TextareaField label="Describe the live product as built" name="answers.production.liveProduct" defaultValue={value("answers.production.liveProduct")} errors={errorsFor("answers.production.liveProduct")} />
            <TextareaField label="Describe its safeguards as built" name="answers.production.safeguardsAsBuilt" defaultValue={value("answers.production.safeguardsAsBuilt")} errors={errorsFor("answers.production.safeguardsAsBuilt")} />
          </div>
        ) : null}

        <div hidden={!shown("review")} className="space-y-3">
          {missing === null ? null : missing.length === 0 ? (
            <p className="text-sm text-slate-700">Every required answer is filled in. Submit when you are ready; reviewers see exactly what you submit.</p>
          ) : (
            <div className="space-y-2">
              <p className="text-sm font-medium text-slate-800">Still to answer before you can submit:</p>
              <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
                {missing.map((item) => (
                  <li key={item.name}>
                    <button type="button" className="text-indigo-700 underline" onClick={() => goTo(stepOf(item.name))}>
                      {item.label}
                    </button>
                    : {item.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>

        <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
          {stepIndex > 0 ? (
            <Button variant="secondary" onClick={() => goTo(stepIndex - 1)}>
              Back
            </Button>
          ) : null}
          {/* Distinct keys: React must not turn the clicked "Next" into the submit button mid-click (it would submit). */}
          {step?.id !== "review" ? (
            <Button key="next" onClick={() => goTo(stepIndex + 1)}>
              Next
            </Button>
          ) : (
            <Button key="submit" type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Submitting…" : isResubmission ? "Resubmit application" : "Submit application"}
            </Button>
          )}
          <Button variant="secondary" onClick={() => void save({ force: true })}>
            Save draft
          </Button>
          <p aria-live="polite" data-save-state={saveState} className="text-sm text-slate-500">
            {saveStateText[saveState]}
          </p>
        </div>
      </form>
    </div>
  );
}

interface FieldProblem {
  name: string;
  label: string;
  message: string;
}

/** The answers the form still needs before it can be submitted, each with its label and message. */
function missingAnswers(form: HTMLFormElement | null, applicationId: string, track: Track, stage: Stage): FieldProblem[] {
  const input = unflattenFormValues(formDataToObject(readForm(form, applicationId).data));
  const parsed = submissionSchemaFor({ track, stage }).safeParse(input);
  if (parsed.success) return [];
  return Object.entries(fieldErrorsOf(parsed.error)).map(([name, messages]) => ({ name, label: labelOf.get(name) ?? labelForForm(name), message: (messages ?? []).join(" ") }));
}

/** The form's fields as the draft and submit actions take them, and their serialised content (to tell a change). */
function readForm(form: HTMLFormElement | null, applicationId: string): { data: FormData; snapshot: string } {
  const data = form ? new FormData(form) : new FormData();
  data.set("applicationId", applicationId);
  return { data, snapshot: JSON.stringify([...data.entries()].map(([key, entry]) => [key, String(entry)])) };
}

function labelForForm(name: string): string {
  switch (name) {
    case "productName":
      return "Product name";
    case "description":
      return "Product description";
    case "categoryId":
      return "Category";
    default:
      return name;
  }
}
