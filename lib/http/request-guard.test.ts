import { describe, expect, it } from "vitest";
import { judgeRequestLine } from "./request-guard";

describe("judgeRequestLine", () => {
  it("passes the methods the app serves with an origin-form target", () => {
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) expect(judgeRequestLine(method, "/v1/models")).toEqual({ kind: "pass" });
  });

  it("refuses TRACE, TRACK, CONNECT and WebDAV methods with 405 and a bounded message", () => {
    for (const method of ["TRACE", "TRACK", "CONNECT", "PROPFIND", "M".repeat(500)]) {
      const verdict = judgeRequestLine(method, "/");
      expect(verdict.kind === "refuse" && verdict.status).toBe(405);
      expect(verdict.kind === "refuse" && verdict.message.length).toBeLessThan(60);
    }
  });

  it("rewrites an absolute-form target to its path, whatever host it names", () => {
    expect(judgeRequestLine("GET", "http://elsewhere.example/v1/models?x=1")).toEqual({ kind: "rewrite", url: "/v1/models?x=1" });
    expect(judgeRequestLine("POST", "HTTPS://elsewhere.example:8443/v1/chat/completions")).toEqual({ kind: "rewrite", url: "/v1/chat/completions" });
    expect(judgeRequestLine("GET", "http://elsewhere.example")).toEqual({ kind: "rewrite", url: "/" });
    expect(judgeRequestLine("GET", "http://elsewhere.example?next=1")).toEqual({ kind: "rewrite", url: "/?next=1" });
    expect(judgeRequestLine("GET", "http://user@elsewhere.example//again.example/x")).toEqual({ kind: "rewrite", url: "//again.example/x" });
  });

  it("refuses an asterisk or a bare word as the target with 400", () => {
    for (const target of ["*", "elsewhere.example", "ftp://elsewhere.example/", ""]) expect(judgeRequestLine("OPTIONS", target)).toMatchObject({ kind: "refuse", status: 400 });
  });
});
