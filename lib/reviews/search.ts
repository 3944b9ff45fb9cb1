// The review queue's search language: field terms, free text, AND/OR/NOT and parentheses, parsed to a tree and
// compiled to a parameterised SQL condition on the queue's application row (alias a). Errors say what is wrong and
// where (a 1-based column).
//
//   status:submitted stage:production track:academic cat:chatbot org:"Northwind" risk:>=4 misuse:<=2
//   disagreement high-risk age:>3d assigned:me reviews:<2 (chatbot OR "help desk") NOT org:acme
import { Prisma } from "@/lib/generated/prisma/client";

export class SearchError extends Error {
  override name = "SearchError";
  constructor(
    message: string,
    /** 1-based column of the problem in the query. */
    readonly column: number,
  ) {
    super(`${message} (at column ${column})`);
  }
}

type Comparator = "=" | "<" | "<=" | ">" | ">=";

export type SearchNode =
  | { kind: "and" | "or"; left: SearchNode; right: SearchNode }
  | { kind: "not"; operand: SearchNode }
  | { kind: "text"; text: string }
  | { kind: "flag"; flag: "disagreement" | "highRisk" }
  | { kind: "status"; value: "SUBMITTED" | "IN_REVIEW" }
  | { kind: "stage"; value: "ACCESS" | "PRODUCTION" }
  | { kind: "track"; value: "STANDARD" | "ACADEMIC" }
  | { kind: "category"; value: string }
  | { kind: "org"; value: string }
  | { kind: "assigned"; value: "me" | "none" }
  | { kind: "score"; question: "risk" | "misusePlan"; comparator: Comparator; value: number }
  | { kind: "reviews"; comparator: Comparator; value: number }
  | { kind: "age"; comparator: Comparator; hours: number };

export const searchFields = ["status", "stage", "track", "cat", "org", "risk", "misuse", "age", "assigned", "reviews"] as const;

interface Token {
  type: "lparen" | "rparen" | "and" | "or" | "not" | "term" | "text";
  column: number;
  /** For "term": the field; for "text": the words. */
  value: string;
  /** For "term": the raw value after the colon (quotes removed). */
  argument?: string;
  argumentColumn?: number;
}

const MAX_QUERY = 500;
const MAX_DEPTH = 20;

function readQuoted(query: string, start: number): { text: string; end: number } {
  // start is at the opening quote.
  const close = query.indexOf('"', start + 1);
  if (close === -1) throw new SearchError("This quote is never closed: add a closing \"", start + 1);
  return { text: query.slice(start + 1, close), end: close + 1 };
}

function isBreak(character: string | undefined): boolean {
  return character === undefined || /\s|\(|\)/.test(character);
}

export function tokenize(query: string): Token[] {
  if (query.length > MAX_QUERY) throw new SearchError(`The search is too long: keep it under ${MAX_QUERY} characters`, MAX_QUERY + 1);
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const character = query[index];
    if (character === undefined) break;
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    const column = index + 1;
    if (character === "(" || character === ")") {
      tokens.push({ type: character === "(" ? "lparen" : "rparen", column, value: character });
      index += 1;
      continue;
    }
    if (character === '"') {
      const { text, end } = readQuoted(query, index);
      if (text.trim() === "") throw new SearchError("Empty quotes: put the words to search between them", column);
      tokens.push({ type: "text", column, value: text });
      index = end;
      continue;
    }
    let end = index;
    while (!isBreak(query[end]) && query[end] !== ":" && query[end] !== '"') end += 1;
    const word = query.slice(index, end);
    if (query[end] === ":") {
      const argumentStart = end + 1;
      if (query[argumentStart] === '"') {
        const { text, end: after } = readQuoted(query, argumentStart);
        tokens.push({ type: "term", column, value: word.toLowerCase(), argument: text, argumentColumn: argumentStart + 1 });
        index = after;
      } else {
        let argumentEnd = argumentStart;
        while (!isBreak(query[argumentEnd])) argumentEnd += 1;
        tokens.push({ type: "term", column, value: word.toLowerCase(), argument: query.slice(argumentStart, argumentEnd), argumentColumn: argumentStart + 1 });
        index = argumentEnd;
      }
      continue;
    }
    if (word === "") throw new SearchError(`Unexpected "${character}"`, column);
    if (word === "AND" || word === "OR" || word === "NOT") tokens.push({ type: word.toLowerCase() as "and" | "or" | "not", column, value: word });
    else tokens.push({ type: "text", column, value: word });
    index = end;
  }
  return tokens;
}

function comparison(argument: string, column: number, field: string): { comparator: Comparator; rest: string } {
  const match = /^(>=|<=|>|<|=)?(.*)$/.exec(argument);
  const rest = match?.[2] ?? "";
  if (rest === "") throw new SearchError(`${field}: needs a value, e.g. ${field}:>=4`, column);
  return { comparator: (match?.[1] as Comparator | undefined) ?? "=", rest };
}

function oneOf<T extends string>(field: string, argument: string, column: number, values: Record<string, T>): T {
  const value = values[argument.toLowerCase()];
  if (value === undefined) throw new SearchError(`${field}: expects one of ${Object.keys(values).join(", ")}, not "${argument}"`, column);
  return value;
}

function termNode(token: Token): SearchNode {
  const argument = token.argument ?? "";
  const column = token.argumentColumn ?? token.column;
  if (argument.trim() === "") throw new SearchError(`${token.value}: needs a value after the colon`, column);
  switch (token.value) {
    case "status":
      return { kind: "status", value: oneOf("status", argument, column, { submitted: "SUBMITTED", in_review: "IN_REVIEW", "in-review": "IN_REVIEW", inreview: "IN_REVIEW" }) };
    case "stage":
      return { kind: "stage", value: oneOf("stage", argument, column, { access: "ACCESS", production: "PRODUCTION" }) };
    case "track":
      return { kind: "track", value: oneOf("track", argument, column, { standard: "STANDARD", academic: "ACADEMIC" }) };
    case "cat":
    case "category":
      return { kind: "category", value: argument };
    case "org":
      return { kind: "org", value: argument };
    case "assigned":
      return { kind: "assigned", value: oneOf("assigned", argument, column, { me: "me", none: "none" }) };
    case "risk":
    case "misuse": {
      const { comparator, rest } = comparison(argument, column, token.value);
      const value = Number(rest);
      if (!Number.isFinite(value) || value < 1 || value > 5) throw new SearchError(`${token.value}: compares an average score from 1 to 5, not "${rest}"`, column);
      return { kind: "score", question: token.value === "risk" ? "risk" : "misusePlan", comparator, value };
    }
    case "reviews": {
      const { comparator, rest } = comparison(argument, column, "reviews");
      if (!/^\d{1,3}$/.test(rest)) throw new SearchError(`reviews: compares a whole number of reviews, not "${rest}"`, column);
      return { kind: "reviews", comparator, value: Number(rest) };
    }
    case "age": {
      const { comparator, rest } = comparison(argument, column, "age");
      const match = /^(\d{1,4})(h|d|w)$/.exec(rest);
      if (!match) throw new SearchError(`age: expects a number and a unit (h, d or w), e.g. age:>3d, not "${rest}"`, column);
      const hours = Number(match[1]) * (match[2] === "h" ? 1 : match[2] === "d" ? 24 : 24 * 7);
      return { kind: "age", comparator, hours };
    }
    default:
      throw new SearchError(`Unknown field "${token.value}": use one of ${searchFields.join(", ")}`, token.column);
  }
}

/** Parses a query; an empty query is null (no condition). */
export function parseSearch(query: string): SearchNode | null {
  const tokens = tokenize(query);
  if (tokens.length === 0) return null;
  let position = 0;
  const end = query.length + 1;
  const peek = () => tokens[position];

  function expression(depth: number): SearchNode {
    if (depth > MAX_DEPTH) throw new SearchError(`Too many nested parentheses (at most ${MAX_DEPTH})`, peek()?.column ?? end);
    let left = conjunction(depth);
    while (peek()?.type === "or") {
      const operator = peek();
      position += 1;
      if (!peek() || peek()?.type === "rparen" || peek()?.type === "or" || peek()?.type === "and") throw new SearchError("OR needs a term after it", operator?.column ?? end);
      left = { kind: "or", left, right: conjunction(depth) };
    }
    return left;
  }

  function conjunction(depth: number): SearchNode {
    let left = unary(depth);
    for (;;) {
      const next = peek();
      if (!next || next.type === "rparen" || next.type === "or") return left;
      if (next.type === "and") {
        position += 1;
        const after = peek();
        if (!after || after.type === "rparen" || after.type === "or" || after.type === "and") throw new SearchError("AND needs a term after it", next.column);
      }
      left = { kind: "and", left, right: unary(depth) };
    }
  }

  function unary(depth: number): SearchNode {
    const token = peek();
    if (!token) throw new SearchError("The search ends too early: a term is missing", end);
    if (token.type === "not") {
      position += 1;
      if (!peek() || peek()?.type === "rparen" || peek()?.type === "or" || peek()?.type === "and") throw new SearchError("NOT needs a term after it", token.column);
      return { kind: "not", operand: unary(depth + 1) };
    }
    return primary(depth);
  }

  function primary(depth: number): SearchNode {
    const token = peek();
    if (!token) throw new SearchError("The search ends too early: a term is missing", end);
    position += 1;
    switch (token.type) {
      case "lparen": {
        if (peek()?.type === "rparen") throw new SearchError("Empty parentheses", token.column);
        const inner = expression(depth + 1);
        if (peek()?.type !== "rparen") throw new SearchError("This parenthesis is never closed: add a )", token.column);
        position += 1;
        return inner;
      }
      case "rparen":
        throw new SearchError("This ) has no matching (", token.column);
      case "and":
      case "or":
        throw new SearchError(`${token.value} needs a term before it`, token.column);
      case "term":
        return termNode(token);
      case "text": {
        const word = token.value.toLowerCase();
        if (word === "disagreement") return { kind: "flag", flag: "disagreement" };
        if (word === "high-risk" || word === "highrisk") return { kind: "flag", flag: "highRisk" };
        return { kind: "text", text: token.value };
      }
      case "not":
        return unary(depth);
      default: {
        const unreachable: never = token.type;
        throw new SearchError(`Unexpected ${String(unreachable)}`, token.column);
      }
    }
  }

  const tree = expression(0);
  const rest = peek();
  if (rest) throw new SearchError(rest.type === "rparen" ? "This ) has no matching (" : "Unexpected term", rest.column);
  return tree;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function compare(left: Prisma.Sql, comparator: Comparator, right: number): Prisma.Sql {
  switch (comparator) {
    case "=":
      return Prisma.sql`${left} = ${right}`;
    case "<":
      return Prisma.sql`${left} < ${right}`;
    case "<=":
      return Prisma.sql`${left} <= ${right}`;
    case ">":
      return Prisma.sql`${left} > ${right}`;
    case ">=":
      return Prisma.sql`${left} >= ${right}`;
    default: {
      const unreachable: never = comparator;
      throw new Error(`Unknown comparator ${String(unreachable)}`);
    }
  }
}

/**
 * Claimed by this reviewer. `= ANY (ARRAY(subquery))` rather than `IN (subquery)`, the same rows: a reviewer's claims
 * are few, and as a list they are looked up by primary key, where IN makes the queue's ordered scan probe every row
 * (claimed items are all in review, which the planner cannot know, so it expects to find them early).
 */
export function assignedTo(reviewerId: string): Prisma.Sql {
  return Prisma.sql`a.id = ANY (ARRAY(SELECT sa."applicationId" FROM "ReviewAssignment" sa WHERE sa."reviewerId" = ${reviewerId}))`;
}

/** The tree as a condition on the queue's `"Application" a` row; `actorId` answers assigned:me. */
export function searchToSql(node: SearchNode, { actorId, now = new Date() }: { actorId: string; now?: Date }): Prisma.Sql {
  const recurse = (child: SearchNode) => searchToSql(child, { actorId, now });
  switch (node.kind) {
    case "and":
      return Prisma.sql`(${recurse(node.left)} AND ${recurse(node.right)})`;
    case "or":
      return Prisma.sql`(${recurse(node.left)} OR ${recurse(node.right)})`;
    case "not":
      return Prisma.sql`(NOT ${recurse(node.operand)})`;
    case "text": {
      const pattern = likePattern(node.text);
      return Prisma.sql`(a."productName" ILIKE ${pattern} OR a."organizationId" IN (SELECT so.id FROM "Organization" so WHERE so.name ILIKE ${pattern}))`;
    }
    case "flag":
      return node.flag === "disagreement" ? Prisma.sql`a."hasDisagreement"` : Prisma.sql`a."isHighRisk"`;
    case "status":
      return Prisma.sql`a.status = ${node.value}::"ApplicationStatus"`;
    case "stage":
      return Prisma.sql`a.stage = ${node.value}::"ApplicationStage"`;
    case "track":
      return Prisma.sql`a.track = ${node.value}::"ApplicationTrack"`;
    case "category": {
      const pattern = likePattern(node.value);
      return Prisma.sql`a."categoryId" IN (SELECT sc.id FROM "UseCaseCategory" sc WHERE sc.slug ILIKE ${pattern} OR sc.name ILIKE ${pattern})`;
    }
    case "org":
      return Prisma.sql`a."organizationId" IN (SELECT so.id FROM "Organization" so WHERE so.name ILIKE ${likePattern(node.value)})`;
    case "assigned":
      return node.value === "me"
        ? assignedTo(actorId)
        : Prisma.sql`a.id NOT IN (SELECT sa."applicationId" FROM "ReviewAssignment" sa)`;
    case "score": {
      // The average over submitted reviews, kept on the row by a trigger on Review (migration review_aggregates);
      // an application without reviews has no average (null) and never matches, nor does its NOT.
      const average = node.question === "risk" ? Prisma.sql`a."riskMean"` : Prisma.sql`a."misusePlanMean"`;
      return compare(average, node.comparator, node.value);
    }
    case "reviews":
      return compare(Prisma.sql`a."reviewCount"`, node.comparator, node.value);
    case "age": {
      // Age is how long ago it was submitted: age:>3d means submitted more than 3 days ago.
      const hours = Prisma.sql`(EXTRACT(EPOCH FROM (${now}::timestamp - a."submittedAt")) / 3600)`;
      return compare(hours, node.comparator, node.hours);
    }
    default: {
      const unreachable: never = node;
      throw new Error(`Unknown search node ${JSON.stringify(unreachable)}`);
    }
  }
}
