// The applicant's current answers, labelled as reviewers read them.
import { describeSnapshot, type ApplicationSnapshot } from "@/lib/applications/diff";

export function AnswersSummary({ snapshot }: { snapshot: ApplicationSnapshot }) {
  const entries = describeSnapshot(snapshot);
  if (entries.length === 0) return <p className="text-sm text-slate-600">Nothing answered yet.</p>;
  return (
    <dl className="divide-y divide-slate-100 text-sm">
      {entries.map((entry) => (
        <div key={entry.path} className="grid gap-1 py-2 sm:grid-cols-3 sm:gap-4">
          <dt className="font-medium text-slate-800">{entry.label}</dt>
          <dd className="whitespace-pre-wrap text-slate-700 sm:col-span-2">{entry.value}</dd>
        </div>
      ))}
    </dl>
  );
}
