import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback";

describe("safeCallbackPath", () => {
  it("keeps a path of this site, with its query and fragment", () => {
    expect(safeCallbackPath("/account")).toBe("/account");
    expect(safeCallbackPath("/invitations/abc?x=1#top")).toBe("/invitations/abc?x=1#top");
  });

  it("refuses every form a browser reads as another site", () => {
    for (const value of ["//evil.example/", "/\\evil.example", "/\\evil.example/phish", "/\t/evil.example", "/\n/evil.example", "\\\\evil.example", "https://evil.example/", "evil.example", "javascript:alert(1)", "", "/".padEnd(3_000, "a")]) {
      expect([value, safeCallbackPath(value)]).toEqual([value, undefined]);
    }
    expect(safeCallbackPath(["/account"])).toBeUndefined();
  });
});
