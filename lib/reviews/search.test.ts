import { describe, expect, it } from "vitest";
import { parseSearch, SearchError, searchToSql } from "@/lib/reviews/search";

function errorOf(query: string): SearchError {
  try {
    parseSearch(query);
  } catch (error) {
    if (error instanceof SearchError) return error;
    throw error;
  }
  throw new Error(`"${query}" parsed without an error`);
}

describe("parsing the queue's search language", () => {
  it("reads every field of the documented example, joined by AND", () => {
    const tree = parseSearch('status:submitted stage:production track:academic cat:chatbot org:"Northwind Traders" risk:>=4 misuse:<=2 disagreement age:>3d assigned:me reviews:<2');
    const leaves: unknown[] = [];
    const walk = (node: NonNullable<typeof tree>): void => {
      if (node.kind === "and") {
        walk(node.left);
        walk(node.right);
      } else leaves.push(node);
    };
    if (!tree) throw new Error("no tree");
    walk(tree);
    expect(leaves).toEqual([
      { kind: "status", value: "SUBMITTED" },
      { kind: "stage", value: "PRODUCTION" },
      { kind: "track", value: "ACADEMIC" },
      { kind: "category", value: "chatbot" },
      { kind: "org", value: "Northwind Traders" },
      { kind: "score", question: "risk", comparator: ">=", value: 4 },
      { kind: "score", question: "misusePlan", comparator: "<=", value: 2 },
      { kind: "flag", flag: "disagreement" },
      { kind: "age", comparator: ">", hours: 72 },
      { kind: "assigned", value: "me" },
      { kind: "reviews", comparator: "<", value: 2 },
    ]);
  });

  it("binds NOT tighter than AND, and AND tighter than OR; parentheses group", () => {
    expect(parseSearch("a OR b c")).toEqual({ kind: "or", left: { kind: "text", text: "a" }, right: { kind: "and", left: { kind: "text", text: "b" }, right: { kind: "text", text: "c" } } });
    expect(parseSearch("(a OR b) AND NOT stage:access")).toEqual({
      kind: "and",
      left: { kind: "or", left: { kind: "text", text: "a" }, right: { kind: "text", text: "b" } },
      right: { kind: "not", operand: { kind: "stage", value: "ACCESS" } },
    });
    expect(parseSearch('"help desk" high-risk')).toEqual({ kind: "and", left: { kind: "text", text: "help desk" }, right: { kind: "flag", flag: "highRisk" } });
  });

  it("an empty query is no condition, and plain words are free text", () => {
    expect(parseSearch("   ")).toBeNull();
    expect(parseSearch("Northwind")).toEqual({ kind: "text", text: "Northwind" });
  });

  it.each([
    ["stauts:submitted", /Unknown field "stauts": use one of status, stage/, 1],
    ["status:done", /status: expects one of submitted, in_review/, 8],
    ["risk:>=9", /risk: compares an average score from 1 to 5, not "9"/, 6],
    ["risk:", /risk: needs a value after the colon/, 6],
    ["age:>3 days", /age: expects a number and a unit \(h, d or w\)/, 5],
    ["reviews:<two", /reviews: compares a whole number of reviews, not "two"/, 9],
    ['org:"Northwind', /This quote is never closed/, 5],
    ["(a OR b", /This parenthesis is never closed/, 1],
    ["a OR b)", /This \) has no matching \(/, 7],
    ["a OR", /OR needs a term after it/, 3],
    ["AND a", /AND needs a term before it/, 1],
    ["a AND NOT", /NOT needs a term after it/, 7],
    ["()", /Empty parentheses/, 1],
  ])("refuses %j, saying what is wrong and where", (query, message, column) => {
    const error = errorOf(query);
    expect(error.message).toMatch(message);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`(at column ${column})`);
  });

  it("refuses an over-long query and runaway nesting", () => {
    expect(errorOf("a ".repeat(300)).message).toMatch(/too long/);
    expect(errorOf(`${"(".repeat(30)}a${")".repeat(30)}`).message).toMatch(/Too many nested parentheses/);
  });

  it("compiles to parameterised SQL: values never become SQL text", () => {
    const tree = parseSearch(`org:"x'); DROP TABLE \\"User\\"; --" OR risk:>=4`);
    if (!tree) throw new Error("no tree");
    const sql = searchToSql(tree, { actorId: "me" });
    expect(sql.sql).not.toContain("DROP");
    expect(sql.values).toContain("%x'); DROP TABLE \\\\%");
    expect(sql.sql).toMatch(/ OR /);
  });
});
