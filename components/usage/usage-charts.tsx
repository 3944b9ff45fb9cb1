"use client";
// The usage charts (recharts), fed plain numbers by the server; each chart has its numbers as a table beneath it.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartPoint {
  at: string;
  requests: number;
  tokens: number;
  errors: number;
  flagged: number;
  p50: number | null;
  p95: number | null;
}

type Metric = Exclude<keyof ChartPoint, "at">;

interface Series {
  key: Metric;
  label: string;
  color: string;
}

const charts: { id: string; title: string; kind: "bar" | "line"; series: Series[]; unit?: string }[] = [
  { id: "requests", title: "Requests", kind: "bar", series: [{ key: "requests", label: "Requests", color: "#4f46e5" }] },
  { id: "tokens", title: "Tokens", kind: "bar", series: [{ key: "tokens", label: "Tokens", color: "#0891b2" }] },
  {
    id: "errors",
    title: "Errors and flagged requests",
    kind: "bar",
    series: [
      { key: "errors", label: "Errors", color: "#dc2626" },
      { key: "flagged", label: "Flagged", color: "#d97706" },
    ],
  },
  {
    id: "latency",
    title: "Latency",
    kind: "line",
    unit: "ms",
    series: [
      { key: "p50", label: "p50 (ms)", color: "#16a34a" },
      { key: "p95", label: "p95 (ms)", color: "#9333ea" },
    ],
  },
];

function formatBucket(at: string, bucket: "hour" | "day"): string {
  return bucket === "hour" ? `${at.slice(0, 10)} ${at.slice(11, 16)}` : at.slice(0, 10);
}

const number = (value: number | null) => (value === null ? "–" : value.toLocaleString("en-US"));

export function UsageCharts({ points, bucket }: { points: ChartPoint[]; bucket: "hour" | "day" }) {
  const data = points.map((point) => ({ ...point, label: formatBucket(point.at, bucket) }));
  const per = bucket === "hour" ? "hour" : "day";
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      {charts.map((chart) => {
        const summary = chart.series
          .map((series) => {
            const values = points.map((point) => point[series.key]).filter((value): value is number => value !== null);
            const peak = values.length > 0 ? Math.max(...values) : null;
            return `${series.label}: peak ${number(peak)} per ${per}`;
          })
          .join("; ");
        return (
          <figure key={chart.id} className="min-w-0" data-testid={`usage-chart-${chart.id}`}>
            <figcaption className="mb-2 text-sm font-medium text-slate-700">
              {chart.title} per {per} <span className="font-normal text-slate-500">({summary})</span>
            </figcaption>
            <div role="img" aria-label={`${chart.title} per ${per} (UTC). ${summary}. The table below lists every ${per}.`} className="h-56 w-full">
              <ResponsiveContainer width="100%" height="100%" minWidth={200}>
                {chart.kind === "bar" ? (
                  <BarChart data={data} accessibilityLayer={false} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                    <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
                    <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={56} />
                    <Tooltip />
                    {chart.series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
                    {chart.series.map((series) => (
                      <Bar key={series.key} dataKey={series.key} name={series.label} fill={series.color} isAnimationActive={false} />
                    ))}
                  </BarChart>
                ) : (
                  <LineChart data={data} accessibilityLayer={false} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                    <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
                    <YAxis tick={{ fontSize: 11 }} width={56} unit={chart.unit} />
                    <Tooltip />
                    <Legend wrapperStyle={{ fontSize: 12 }} />
                    {chart.series.map((series) => (
                      <Line key={series.key} dataKey={series.key} name={series.label} stroke={series.color} dot={false} connectNulls isAnimationActive={false} />
                    ))}
                  </LineChart>
                )}
              </ResponsiveContainer>
            </div>
            <details className="mt-2">
              <summary className="cursor-pointer text-sm font-medium text-slate-700">{chart.title}: show the numbers as a table</summary>
              <div className="mt-2 max-h-72 overflow-auto">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">
                    {chart.title} per {per} (UTC)
                  </caption>
                  <thead className="text-slate-500">
                    <tr>
                      <th scope="col" className="py-1 pr-4 font-medium">
                        {bucket === "hour" ? "Hour (UTC)" : "Day (UTC)"}
                      </th>
                      {chart.series.map((series) => (
                        <th key={series.key} scope="col" className="py-1 pr-4 text-right font-medium">
                          {series.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {data.map((point) => (
                      <tr key={point.at}>
                        <th scope="row" className="py-1 pr-4 font-normal">
                          {point.label}
                        </th>
                        {chart.series.map((series) => (
                          <td key={series.key} className="py-1 pr-4 text-right tabular-nums">
                            {number(point[series.key])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </figure>
        );
      })}
    </div>
  );
}
