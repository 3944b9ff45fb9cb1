import { afterEach, describe, expect, it } from "vitest";
import { describeSnapshot } from "@/lib/applications/diff";
import { draftInputSchema, flattenFormValues, unflattenFormValues } from "@/lib/applications/schema";
import { AppError } from "@/lib/errors";
import { z } from "zod";
import { calendarDateIn, DISGUISING_NAME_MESSAGE, formDataToObject, formNumber, ID_MAX, idSchema, isCalendarDate, isNotPastDate, isSafeKey, parseInput, plainName, UNSTORABLE_TEXT_MESSAGE } from "@/lib/validation";

const hostileNames = ["__proto__.polluted", "constructor.prototype.polluted", "answers.__proto__.polluted", "answers.constructor.polluted", "prototype.polluted", "__proto__"];

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function polluted(): unknown {
  return (Object.prototype as Record<string, unknown>).polluted;
}

afterEach(() => {
  // If a helper regresses, do not let the pollution leak into the next test's verdict.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe("objects built from client-chosen names", () => {
  it.each(hostileNames)("a form field named %s is refused and Object.prototype stays clean", (name) => {
    const formData = new FormData();
    formData.set("applicationId", "app-1");
    formData.set(name, "yes");
    const error = thrown(() => unflattenFormValues(formDataToObject(formData)));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: "invalid", fieldErrors: { form: ["The form contains a field name that is not allowed."] } });
    expect(polluted()).toBeUndefined();
    expect({}).not.toHaveProperty("polluted");
  });

  it.each(hostileNames)("unflattening a record with the key %s is refused and Object.prototype stays clean", (name) => {
    const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    values[name] = "yes";
    expect(thrown(() => unflattenFormValues(values))).toMatchObject({ kind: "invalid" });
    expect(polluted()).toBeUndefined();
  });

  it("names that only contain the words are ordinary fields", () => {
    expect(isSafeKey("answers.risk.harms")).toBe(true);
    expect(isSafeKey("constructorName")).toBe(true);
    expect(isSafeKey("my__proto__")).toBe(true);
    expect(isSafeKey("a.constructor")).toBe(false);
  });

  it("an ordinary form still nests, keeps repeated fields as arrays and validates", () => {
    const formData = new FormData();
    formData.set("applicationId", "app-1");
    formData.set("productName", "Helper");
    formData.append("answers.risk.sensitiveDomains", "HEALTH");
    formData.append("answers.risk.sensitiveDomains", "LEGAL");
    formData.set("$ACTION_ID_abc", "");
    const input = unflattenFormValues(formDataToObject(formData));
    expect(input).toEqual({ applicationId: "app-1", productName: "Helper", answers: { risk: { sensitiveDomains: ["HEALTH", "LEGAL"] } } });
    expect(draftInputSchema.parse(input)).toMatchObject({ productName: "Helper", answers: { risk: { sensitiveDomains: ["HEALTH", "LEGAL"] } } });
  });

  it("the built objects have no prototype, so inherited names read as missing", () => {
    const formData = new FormData();
    formData.set("answers.risk.harms", "x");
    const input = unflattenFormValues(formDataToObject(formData));
    expect(Object.getPrototypeOf(input)).toBeNull();
    expect(input.constructor).toBeUndefined();
    expect(input.toString).toBeUndefined();
  });

  it("flattening stored answers skips keys that reach a prototype", () => {
    const stored: unknown = JSON.parse('{"productName":"P","answers":{"__proto__":{"polluted":"yes"},"risk":{"harms":"x"}}}');
    const flat = flattenFormValues(stored as Record<string, unknown>);
    expect(flat).toEqual({ productName: "P", "answers.risk.harms": "x" });
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
    expect(polluted()).toBeUndefined();
  });

  it("reading a snapshot never reaches inherited members", () => {
    const answers = Object.create({ supportedUseCase: "inherited" }) as Record<string, unknown>;
    expect(describeSnapshot({ productName: "P", answers }).map((entry) => entry.path)).toEqual(["productName"]);
  });
});

describe("a server action's form argument", () => {
  it.each([["a string", "applicationId=1"], ["a number", 5], ["an object", { applicationId: "1" }], ["nothing", undefined]])("%s instead of FormData is a form error", (_label, value) => {
    expect(thrown(() => formDataToObject(value))).toMatchObject({ kind: "invalid", message: "This form could not be read. Reload the page and try again." });
  });
});

describe("ids posted by forms", () => {
  it("are bounded", () => {
    expect(idSchema("Choose an application.").safeParse("c".repeat(ID_MAX)).success).toBe(true);
    expect(idSchema("Choose an application.").safeParse("c".repeat(ID_MAX + 1)).error?.issues[0]?.message).toBe("Choose an application.");
  });
});

describe("text that cannot be stored", () => {
  const schema = z.object({ applicationId: z.string(), answers: z.object({ risk: z.object({ harms: z.string() }) }), tags: z.array(z.string()) });
  const valid = { applicationId: "app-1", answers: { risk: { harms: "none" } }, tags: ["a", "b"] };

  it.each([
    ["a NUL in an id", { ...valid, applicationId: "ab\u0000cd" }, "applicationId"],
    ["a NUL deep in an answer", { ...valid, answers: { risk: { harms: "x\u0000" } } }, "answers.risk.harms"],
    ["an unpaired high surrogate in a list", { ...valid, tags: ["a", "x\ud800y"] }, "tags.1"],
    ["an unpaired low surrogate", { ...valid, tags: ["\udc00"] }, "tags.0"],
  ])("%s is a form error on its field, before the schema runs", (_label, input, field) => {
    expect(thrown(() => parseInput(schema, input))).toMatchObject({ kind: "invalid", fieldErrors: { [field]: [UNSTORABLE_TEXT_MESSAGE] } });
  });

  it("is found in a bare string and in a form turned into an object", () => {
    expect(thrown(() => parseInput(z.string(), "\u0000"))).toMatchObject({ fieldErrors: { form: [UNSTORABLE_TEXT_MESSAGE] } });
    const formData = new FormData();
    formData.set("body", "hello\u0000");
    expect(thrown(() => parseInput(z.object({ body: z.string() }), formDataToObject(formData)))).toMatchObject({ fieldErrors: { body: [UNSTORABLE_TEXT_MESSAGE] } });
  });

  it("paired surrogates (emoji), tabs, newlines and U+FFFD are ordinary text", () => {
    const input = { ...valid, answers: { risk: { harms: "😀 \uD83D\uDE00\ttab\nline \uFFFD" } } };
    expect(parseInput(schema, input)).toEqual(input);
  });
});

describe("names others read", () => {
  const name = plainName(z.string().trim().min(1));

  it.each([
    ["a right-to-left override", "Alice \u202Eevil"],
    ["a left-to-right embedding", "\u202Aname"],
    ["a bidi isolate", "name\u2066x\u2069"],
    ["a zero-width space", "Ali\u200Bce"],
    ["a byte-order mark inside it", "Bo\uFEFFb"],
  ])("with %s are refused", (_label, value) => {
    expect(name.safeParse(value).error?.issues[0]?.message).toBe(DISGUISING_NAME_MESSAGE);
  });

  it.each([["Arabic", "مريم"], ["Hebrew with a mark", "דנה\u200F"], ["Persian with a ZWNJ", "می\u200Cخواهم"], ["an emoji sequence with a ZWJ", "Team 👩\u200D💻"]])("in %s are accepted", (_label, value) => {
    expect(name.safeParse(value).success).toBe(true);
  });
});

describe("numbers posted by forms", () => {
  const count = formNumber(z.number({ error: "Enter a number." }).int().min(1));

  it.each([["12", 12], [" 7 ", 7], ["1e3", 1000], [16, 16]])("%j is read as %d", (value, expected) => {
    expect(count.parse(value)).toBe(expected);
  });

  it.each(["0x10", "0b11", "0o7", "Infinity", "", "  ", "12abc", "1,000"])("%j is refused, not read as a number", (value) => {
    expect(count.safeParse(value).error?.issues[0]?.message).toBe("Enter a number.");
  });
});

describe("calendar dates", () => {
  it.each(["2027-03-01", "2028-02-29", "2026-12-31"])("%s exists", (value) => expect(isCalendarDate(value)).toBe(true));
  it.each(["2026-02-31", "2027-02-29", "2026-04-31", "2026-13-01", "2026-00-10"])("%s does not", (value) => expect(isCalendarDate(value)).toBe(false));
});

describe("isNotPastDate", () => {
  const now = new Date("2026-12-02T03:00:00Z");
  it("passes today and later, and yesterday in UTC (someone's today west of Greenwich)", () => {
    for (const value of ["2026-12-01", "2026-12-02", "2027-01-01"]) expect(isNotPastDate(value, now)).toBe(true);
  });
  it("refuses two days ago and earlier", () => {
    for (const value of ["2026-11-30", "2025-12-02"]) expect(isNotPastDate(value, now)).toBe(false);
  });
  it("calendarDateIn counts whole days from now in UTC", () => {
    expect([calendarDateIn(-1, now), calendarDateIn(0, now), calendarDateIn(30, now)]).toEqual(["2026-12-01", "2026-12-02", "2027-01-01"]);
  });
});
