import { afterEach, describe, expect, it } from "vitest";
import { describeSnapshot } from "@/lib/applications/diff";
import { draftInputSchema, flattenFormValues, unflattenFormValues } from "@/lib/applications/schema";
import { AppError } from "@/lib/errors";
import { formDataToObject, ID_MAX, idSchema, isSafeKey } from "@/lib/validation";

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
