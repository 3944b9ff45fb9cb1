// Failures that repeat for as long as an outage lasts (every request while the database is away, every retry of a
// listener) are logged once per interval, each line saying how many like it were left out: an outage costs a few
// lines a minute, not several per request.
import { processSingleton } from "@/lib/process";

export const SPARING_INTERVAL_MS = 30_000;

interface Topic {
  loggedAt: number;
  leftOut: number;
}

const topics = () => processSingleton("sparing-log", () => new Map<string, Topic>());

/** Writes `message` unless a line of the same topic was written less than SPARING_INTERVAL_MS ago. One line. */
export function logSparingly(topic: string, message: string, { now = Date.now(), write = console.error }: { now?: number; write?: (line: string) => void } = {}): void {
  const seen = topics().get(topic);
  if (seen && now - seen.loggedAt < SPARING_INTERVAL_MS) {
    seen.leftOut++;
    return;
  }
  const line = message.replace(/\s+/g, " ").trim();
  const leftOut = seen?.leftOut ?? 0;
  write(leftOut > 0 ? `${line} (and ${leftOut} more like it in the last ${Math.round((now - (seen?.loggedAt ?? now)) / 1000)} s)` : line);
  topics().set(topic, { loggedAt: now, leftOut: 0 });
}
