// An application's answers as the form asked them, grouped by the form's sections: one renderer for applicants,
// reviewers and admins.
import { describeSnapshot, type ApplicationSnapshot, type SnapshotEntry } from "@/lib/applications/diff";

function groupBySection(entries: SnapshotEntry[]): { section: string; entries: SnapshotEntry[] }[] {
  const groups: { section: string; entries: SnapshotEntry[] }[] = [];
  for (const entry of entries) {
    const last = groups[groups.length - 1];
    if (last && last.section === entry.section) last.entries.push(entry);
    else groups.push({ section: entry.section, entries: [entry] });
  }
  return groups;
}

export function AnswersSummary({ snapshot }: { snapshot: ApplicationSnapshot }) {
  const entries = describeSnapshot(snapshot);
  if (entries.length === 0) return <p className="text-sm text-slate-600">Nothing answered yet.</p>;
  return (
    <div className="space-y-5" data-testid="answers">
      {groupBySection(entries).map((group) => (
        <section key={group.section} aria-label={group.section}>
          <h3 className="text-sm font-semibold text-slate-900">{group.section}</h3>
          <dl className="mt-1 divide-y divide-slate-100 text-sm">
            {group.entries.map((entry) => (
              <div key={entry.path} className="grid gap-1 py-2 sm:grid-cols-3 sm:gap-4">
                <dt className="text-slate-600">{entry.question}</dt>
                <dd className="whitespace-pre-wrap break-words text-slate-900 sm:col-span-2">{entry.value}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
