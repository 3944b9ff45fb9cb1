// The application's history: each event with who did it and when.
import { eventLabel } from "@/lib/applications/events";

export interface TimelineEvent {
  id: string;
  type: string;
  createdAt: Date;
  actor: { name: string; role: string } | null;
}

const time = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function ApplicationTimeline({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No events yet.</p>;
  return (
    <ol className="space-y-3 border-l border-slate-200 pl-4" aria-label="Timeline">
      {events.map((event) => (
        <li key={event.id} data-testid={`event-${event.type}`} className="relative">
          <span className="absolute -left-[1.3rem] top-1.5 h-2 w-2 rounded-full bg-indigo-500" aria-hidden />
          <p className="text-sm font-medium text-slate-900">{eventLabel(event.type)}</p>
          <p className="text-xs text-slate-500">
            {event.actor ? `${event.actor.name}${event.actor.role === "APPLICANT" ? "" : ` (${event.actor.role.toLowerCase()})`}` : "Gatehouse"} ·{" "}
            <time dateTime={event.createdAt.toISOString()}>{time.format(event.createdAt)} UTC</time>
          </p>
        </li>
      ))}
    </ol>
  );
}
