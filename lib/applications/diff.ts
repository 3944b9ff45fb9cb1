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

type Kind = "text" | "option" | "options" | "boolean" | "number" | "date";

interface SnapshotField {
  path: string;
  /** The form's section heading, so answers read in the groups the applicant filled them in. */
  section: string;
  /** The question as the form asked it. */
  question: string;
  kind: Kind;
}

// Every field a snapshot can hold, in form order, with the form's own wording.
const fields: readonly SnapshotField[] = [
  { path: "productName", section: "Product", question: "Product name", kind: "text" },
  { path: "description", section: "Product", question: "Product description", kind: "text" },
  { path: "category.name", section: "Product", question: "Category", kind: "text" },
  { path: "track", section: "Product", question: "Track", kind: "option" },
  { path: "answers.supportedUseCase", section: "1. Supported use case", question: "What does the product do with the model, and why does it fit the category?", kind: "text" },
  { path: "answers.openEndedness.outputStyle", section: "2. Open-endedness", question: "How constrained are the outputs?", kind: "option" },
  { path: "answers.openEndedness.promptLength", section: "2. Open-endedness", question: "Expected prompt length", kind: "text" },
  { path: "answers.openEndedness.outputLength", section: "2. Open-endedness", question: "Expected output length", kind: "text" },
  { path: "answers.openEndedness.arbitraryPrompts", section: "2. Open-endedness", question: "Can end users write arbitrary prompts?", kind: "boolean" },
  { path: "answers.openEndedness.details", section: "2. Open-endedness", question: "Anything else about how open-ended it is", kind: "text" },
  { path: "answers.risk.sensitiveDomains", section: "3. Risk", question: "Sensitive domains the product touches", kind: "options" },
  { path: "answers.risk.harms", section: "3. Risk", question: "What could go wrong?", kind: "text" },
  { path: "answers.risk.affectedPeople", section: "3. Risk", question: "Who could be harmed?", kind: "text" },
  { path: "answers.misusePlan.safeguards", section: "4. Misuse plan", question: "Safeguards in use", kind: "options" },
  { path: "answers.misusePlan.details", section: "4. Misuse plan", question: "How do these safeguards work in the product?", kind: "text" },
  { path: "answers.endUsers.audience", section: "5. End users", question: "Who uses the product?", kind: "option" },
  { path: "answers.endUsers.authenticated", section: "5. End users", question: "Are end users authenticated?", kind: "boolean" },
  { path: "answers.endUsers.expectedUsers", section: "5. End users", question: "Expected number of end users", kind: "number" },
  { path: "answers.endUsers.minorsPossible", section: "5. End users", question: "May minors use it?", kind: "boolean" },
  { path: "answers.expectedVolume", section: "Launch", question: "Expected volume", kind: "text" },
  { path: "answers.goLiveDate", section: "Launch", question: "Go-live date", kind: "date" },
  { path: "answers.production.liveProduct", section: "Production", question: "The live product as built", kind: "text" },
  { path: "answers.production.safeguardsAsBuilt", section: "Production", question: "Its safeguards as built", kind: "text" },
  { path: "academic.institution", section: "Academic research", question: "Institution", kind: "text" },
  { path: "academic.researchQuestion", section: "Academic research", question: "Research question", kind: "text" },
  { path: "academic.focusArea", section: "Academic research", question: "Focus area", kind: "option" },
  { path: "academic.ethicsApproval", section: "Academic research", question: "Ethics approval", kind: "option" },
];

/** Every field a snapshot can hold, in form order: the path into the snapshot and its one-line label. */
export const snapshotFields: readonly (SnapshotField & { label: string })[] = fields.map((field) => ({
  ...field,
  label: field.section === "Product" || field.section === "Launch" ? field.question : `${field.section}: ${field.question.replace(/^./, (first) => first.toLowerCase())}`,
}));

export interface FieldChange {
  path: string;
  label: string;
  before: string;
  after: string;
}

export interface SnapshotEntry {
  path: string;
  label: string;
  section: string;
  question: string;
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

const longDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

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
    case "date":
      return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? longDate.format(new Date(`${value}T00:00:00Z`)) : String(value);
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
    .map((field) => ({ path: field.path, label: field.label, section: field.section, question: field.question, value: formatValue(valueAt(snapshot, field.path), field.kind) }))
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
