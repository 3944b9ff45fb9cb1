// Turns an entry's stored details (JSON) into label/value pairs a person can read.

const MAX_VALUE_CHARS = 300;

function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replaceAll("_", " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueOf(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string" || typeof item === "number")) return value.join(", ");
  return JSON.stringify(value);
}

export function describeAuditData(data: unknown): { label: string; value: string }[] {
  if (data === null || data === undefined) return [];
  if (typeof data !== "object" || Array.isArray(data)) return [{ label: "Details", value: valueOf(data).slice(0, MAX_VALUE_CHARS) }];
  return Object.entries(data).map(([key, value]) => {
    const text = valueOf(value);
    return { label: labelOf(key), value: text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text };
  });
}
