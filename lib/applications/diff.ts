// Field-level differences between two submitted versions, with labels a reviewer can read. Pure and client-safe.
import { optionLabel } from "./schema";

/** What ApplicationVersion.snapshot holds (see buildSnapshot in lib/applications/service.ts). */
export interface ApplicationSnapshot {
  productName?: string;
  description?: string;
  track?: string;
  stage?: string;
  category?: { id: string; name: string } | null;
  answers?: Record<string, unknown>;
  academic?: Record<string, unknown> | null;
}

type Kind = "text" | "option" | "options" | "boolean" | "number";

/** Every field a snapshot can hold, in form order: the path into the snapshot and its label. */
export const snapshotFields: readonly { path: string; label: string; kind: Kind }[] = [
  { path: "productName", label: "Product name", kind: "text" },
  { path: "description", label: "Product description", kind: "text" },
  { path: "category.name", label: "Category", kind: "text" },
  { path: "track", label: "Track", kind: "option" },
  { path: "answers.supportedUseCase", label: "1. Supported use case", kind: "text" },
  { path: "answers.openEndedness.outputStyle", label: "2. Open-endedness: output style", kind: "option" },
  { path: "answers.openEndedness.promptLength", label: "2. Open-endedness: expected prompt length", kind: "text" },
  { path: "answers.openEndedness.outputLength", label: "2. Open-endedness: expected output length", kind: "text" },
  { path: "answers.openEndedness.arbitraryPrompts", label: "2. Open-endedness: end users can write arbitrary prompts", kind: "boolean" },
  { path: "answers.openEndedness.details", label: "2. Open-endedness: details", kind: "text" },
  { path: "answers.risk.sensitiveDomains", label: "3. Risk: sensitive domains", kind: "options" },
  { path: "answers.risk.harms", label: "3. Risk: what could go wrong", kind: "text" },
  { path: "answers.risk.affectedPeople", label: "3. Risk: who could be harmed", kind: "text" },
  { path: "answers.misusePlan.safeguards", label: "4. Misuse plan: safeguards", kind: "options" },
  { path: "answers.misusePlan.details", label: "4. Misuse plan: how they work", kind: "text" },
  { path: "answers.endUsers.audience", label: "5. End users: audience", kind: "option" },
  { path: "answers.endUsers.authenticated", label: "5. End users: authenticated", kind: "boolean" },
  { path: "answers.endUsers.expectedUsers", label: "5. End users: expected number", kind: "number" },
  { path: "answers.endUsers.minorsPossible", label: "5. End users: minors may use it", kind: "boolean" },
  { path: "answers.expectedVolume", label: "Expected volume", kind: "text" },
  { path: "answers.goLiveDate", label: "Go-live date", kind: "text" },
  { path: "answers.production.liveProduct", label: "Production: the live product", kind: "text" },
  { path: "answers.production.safeguardsAsBuilt", label: "Production: safeguards as built", kind: "text" },
  { path: "academic.institution", label: "Academic: institution", kind: "text" },
  { path: "academic.researchQuestion", label: "Academic: research question", kind: "text" },
  { path: "academic.focusArea", label: "Academic: focus area", kind: "option" },
  { path: "academic.ethicsApproval", label: "Academic: ethics approval", kind: "option" },
];

export interface FieldChange {
  path: string;
  label: string;
  before: string;
  after: string;
}

export interface SnapshotEntry {
  path: string;
  label: string;
  value: string;
}

function valueAt(source: unknown, path: string): unknown {
  let current = source;
  for (const part of path.split(".")) {
    // Own properties only: a stored snapshot is client-shaped JSON, and "constructor" must not read Object's.
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The readable form of one value; "" when unanswered. */
export function formatValue(value: unknown, kind: Kind): string {
  if (value === undefined || value === null || value === "") return "";
  switch (kind) {
    case "boolean":
      return value === true ? "Yes" : value === false ? "No" : String(value);
    case "option":
      return optionLabel(String(value));
    case "options":
      return Array.isArray(value) ? (value.length === 0 ? "None" : value.map((item) => optionLabel(String(item))).join(", ")) : String(value);
    case "number":
      return typeof value === "number" ? value.toLocaleString("en") : String(value);
    case "text":
      return String(value);
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** The answered fields of a snapshot, in form order, for rendering a version in full. */
export function describeSnapshot(snapshot: ApplicationSnapshot): SnapshotEntry[] {
  return snapshotFields
    .map((field) => ({ path: field.path, label: field.label, value: formatValue(valueAt(snapshot, field.path), field.kind) }))
    .filter((entry) => entry.value !== "");
}

/** The fields whose readable value differs between `before` (null for the first version) and `after`. */
export function diffSnapshots(before: ApplicationSnapshot | null, after: ApplicationSnapshot): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of snapshotFields) {
    const previous = before ? formatValue(valueAt(before, field.path), field.kind) : "";
    const next = formatValue(valueAt(after, field.path), field.kind);
    if (previous !== next) changes.push({ path: field.path, label: field.label, before: previous, after: next });
  }
  return changes;
}

/** Reads an ApplicationVersion.snapshot (JSON) as a snapshot, tolerating older or partial shapes. */
export function asSnapshot(value: unknown): ApplicationSnapshot {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as ApplicationSnapshot) : {};
}
