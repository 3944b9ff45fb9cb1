import type { DailyUsage } from "@/lib/usage/reports";
import { Table, TableBody } from "@/components/ui/table";

const WIDTH = 600;
const HEIGHT = 120;

/** A server-rendered SVG bar chart of one daily series; the table below it is the accessible alternative. */
export function DailyBars({ days, metric, label }: { days: DailyUsage[]; metric: "requests" | "tokens"; label: string }) {
  const values = days.map((day) => day[metric]);
  const max = Math.max(1, ...values);
  const total = values.reduce((sum, value) => sum + value, 0);
  const slot = WIDTH / Math.max(1, days.length);
  const first = days[0]?.day ?? "";
  const last = days[days.length - 1]?.day ?? "";
  return (
    <figure className="space-y-1">
      <figcaption className="text-sm font-medium text-slate-700">
        {label} per day <span className="font-normal text-slate-500">({total.toLocaleString("en-US")} in total, peak {max === 1 && total === 0 ? 0 : max.toLocaleString("en-US")})</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${label} per day from ${first} to ${last}: ${total} in total.`} className="h-32 w-full rounded bg-slate-50">
        {days.map((day, index) => {
          const height = (day[metric] / max) * (HEIGHT - 4);
          return (
            <rect key={day.day} x={index * slot + 1} y={HEIGHT - height} width={Math.max(1, slot - 2)} height={height} className="fill-indigo-500">
              <title>{`${day.day}: ${day[metric].toLocaleString("en-US")} ${label.toLowerCase()}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="flex justify-between text-xs text-slate-500" aria-hidden="true">
        <span>{first}</span>
        <span>{last}</span>
      </div>
    </figure>
  );
}

export function DailyUsageTable({ days, caption }: { days: DailyUsage[]; caption: string }) {
  return (
    <Table label={caption} className="max-w-md">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-4 font-medium">Day (UTC)</th>
          <th scope="col" className="py-1 pr-4 text-right font-medium">Requests</th>
          <th scope="col" className="py-1 text-right font-medium">Tokens</th>
        </tr>
      </thead>
      <TableBody>
        {[...days].reverse().map((day) => (
          <tr key={day.day}>
            <td className="py-1 pr-4">{day.day}</td>
            <td className="py-1 pr-4 text-right tabular-nums">{day.requests.toLocaleString("en-US")}</td>
            <td className="py-1 text-right tabular-nums">{day.tokens.toLocaleString("en-US")}</td>
          </tr>
        ))}
      </TableBody>
    </Table>
  );
}
