// Display helpers for review pages (pure, shared by server components).

/** "3 days", "5 hours", "12 minutes": how long an item has waited. */
export function formatAge(since: Date | null, now: Date = new Date()): string {
  if (!since) return "—";
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, "hour");
  return plural(Math.floor(hours / 24), "day");
}

export function formatDateTime(date: Date): string {
  return `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}
