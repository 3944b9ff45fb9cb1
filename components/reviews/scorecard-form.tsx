"use client";

import { useActionState } from "react";
import { submitReviewAction } from "@/lib/actions/reviews";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ScopeEditor } from "@/components/keys/scope-editor";
import { scopeErrorsOf } from "@/lib/keys/scope-form";
import { confidenceLevels, questionKeys, questions, recommendationLabels, recommendations, type Scores, type SuggestedScopes } from "@/lib/reviews/schema";
import { submitKeepingValues } from "@/components/ui/submit-keeping-values";

const inputClass = "block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300 aria-invalid:ring-red-500";

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors || errors.length === 0) return null;
  return (
    <p id={id} className="text-sm text-red-700">
      {errors.join(" ")}
    </p>
  );
}

/** The five-question scorecard: each question scored 1-5 against its anchors, with confidence and a note. */
export function ScorecardForm({
  applicationId,
  initial,
}: {
  applicationId: string;
  initial: { scores: Scores | null; recommendation: string; suggestedScopes: SuggestedScopes | null } | null;
}) {
  const [state, action, isPending] = useActionState(submitReviewAction, undefined);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const onSubmit = submitKeepingValues(action);
  const isRevision = initial !== null;
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-6" aria-label="Scorecard" noValidate>
      <input type="hidden" name="applicationId" value={applicationId} />
      {questionKeys.map((key) => {
        const question = questions[key];
        const current = initial?.scores?.[key];
        const scoreErrors = errors[`scores.${key}.score`];
        const confidenceErrors = errors[`scores.${key}.confidence`];
        const noteErrors = errors[`scores.${key}.note`];
        return (
          <fieldset key={key} className="rounded-md p-4 ring-1 ring-slate-200" aria-describedby={`${key}-anchors`}>
            <legend className="px-1 font-semibold">
              {question.title}{" "}
              <span className={`text-xs font-medium ${question.direction === "higher-is-riskier" ? "text-red-700" : "text-slate-500"}`}>
                ({question.direction === "higher-is-riskier" ? "higher is riskier: 5 = highest risk" : "higher is better: 5 = strongest"})
              </span>
            </legend>
            <p className="text-sm text-slate-600">{question.prompt}</p>
            <div className="mt-3 grid gap-4 md:grid-cols-2">
              <div className="space-y-3">
                <div role="radiogroup" aria-label={`${question.title} score`} aria-describedby={scoreErrors ? `${key}-score-error` : undefined} className="flex gap-3">
                  {[1, 2, 3, 4, 5].map((score) => (
                    <label key={score} className="flex flex-col items-center text-sm">
                      <input type="radio" name={`${key}.score`} value={score} defaultChecked={current?.score === score} aria-label={`${question.title}: ${score}`} />
                      {score}
                    </label>
                  ))}
                </div>
                <ErrorText id={`${key}-score-error`} errors={scoreErrors} />
                <div>
                  <label htmlFor={`${key}-confidence`} className="block text-sm font-medium">
                    Confidence
                  </label>
                  <select
                    id={`${key}-confidence`}
                    name={`${key}.confidence`}
                    defaultValue={current?.confidence ?? ""}
                    aria-invalid={confidenceErrors ? true : undefined}
                    aria-describedby={confidenceErrors ? `${key}-confidence-error` : undefined}
                    className="rounded-md border-0 py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300"
                  >
                    <option value="">Choose…</option>
                    {confidenceLevels.map((level) => (
                      <option key={level} value={level}>
                        {level.toLowerCase()}
                      </option>
                    ))}
                  </select>
                  <ErrorText id={`${key}-confidence-error`} errors={confidenceErrors} />
                </div>
                <div>
                  <label htmlFor={`${key}-note`} className="block text-sm font-medium">
                    Note <span className="font-normal text-slate-500">(required for a 1 or a 5)</span>
                  </label>
                  <textarea
                    id={`${key}-note`}
                    name={`${key}.note`}
                    rows={2}
                    defaultValue={current?.note ?? ""}
                    aria-invalid={noteErrors ? true : undefined}
                    aria-describedby={noteErrors ? `${key}-note-error` : undefined}
                    className={inputClass}
                  />
                  <ErrorText id={`${key}-note-error`} errors={noteErrors} />
                </div>
              </div>
              <dl id={`${key}-anchors`} className="space-y-2 rounded-md bg-slate-50 p-3 text-sm">
                {([1, 3, 5] as const).map((score) => (
                  <div key={score}>
                    <dt className="font-medium">{score} means</dt>
                    <dd className="text-slate-600">{question.anchors[score]}</dd>
                  </div>
                ))}
              </dl>
            </div>
          </fieldset>
        );
      })}
      <fieldset className="rounded-md p-4 ring-1 ring-slate-200" aria-describedby={errors.recommendation ? "recommendation-error" : undefined}>
        <legend className="px-1 font-semibold">Overall recommendation</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {recommendations.map((value) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="recommendation" value={value} defaultChecked={initial?.recommendation === value} />
              {recommendationLabels[value]}
            </label>
          ))}
        </div>
        <ErrorText id="recommendation-error" errors={errors.recommendation} />
      </fieldset>
      <details className="rounded-md p-4 ring-1 ring-slate-200" open={initial?.suggestedScopes != null}>
        <summary className="cursor-pointer font-semibold">Suggested key limits for an approval (optional)</summary>
        <p className="mt-1 text-sm text-slate-600">Leave blank what you have no view on. The admin sees the strictest suggestion of all reviewers.</p>
        <div className="mt-3">
          <ScopeEditor variant="suggestion" idPrefix="suggestion" defaults={initial?.suggestedScopes ?? null} errors={scopeErrorsOf(errors, "suggestedScopes.")} />
        </div>
      </details>
      {state ? <FormMessage message={state.message} tone={state.ok ? "success" : "error"} /> : null}
      <div className="flex flex-wrap gap-3">
        <Button type="submit" name="then" value="stay" disabled={isPending}>
          {isRevision ? "Revise review" : "Submit review"}
        </Button>
        <Button type="submit" name="then" value="next" variant="secondary" disabled={isPending}>
          {isRevision ? "Revise and next" : "Submit and next"}
        </Button>
      </div>
    </form>
  );
}
