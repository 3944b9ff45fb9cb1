import { questionKeys, questions } from "@/lib/reviews/schema";

function humanize(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (first) => first.toUpperCase());
}

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === "") return <span className="text-slate-400">Not answered</span>;
  if (typeof value === "boolean") return <>{value ? "Yes" : "No"}</>;
  if (typeof value === "string" || typeof value === "number") return <span className="whitespace-pre-wrap">{String(value)}</span>;
  if (Array.isArray(value)) return <>{value.map((item) => (typeof item === "string" ? item.toLowerCase().replaceAll("_", " ") : JSON.stringify(item))).join(", ")}</>;
  if (typeof value === "object") {
    return (
      <dl className="space-y-1">
        {Object.entries(value).map(([key, inner]) => (
          <div key={key} className="flex flex-wrap gap-2">
            <dt className="text-slate-500">{humanize(key)}:</dt>
            <dd>
              <Value value={inner} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{String(value)}</>;
}

/** The answers of the latest submitted version: the five review questions first, then the other fields. */
export function AnswerView({ answers }: { answers: unknown }) {
  const record = answers && typeof answers === "object" && !Array.isArray(answers) ? (answers as Record<string, unknown>) : {};
  const others = Object.keys(record).filter((key) => !(questionKeys as readonly string[]).includes(key));
  return (
    <dl className="space-y-4 text-sm">
      {questionKeys.map((key) => (
        <div key={key}>
          <dt className="font-semibold">{questions[key].title}</dt>
          <dd className="mt-1 text-slate-700">
            <Value value={record[key]} />
          </dd>
        </div>
      ))}
      {others.map((key) => (
        <div key={key}>
          <dt className="font-semibold">{humanize(key)}</dt>
          <dd className="mt-1 text-slate-700">
            <Value value={record[key]} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
