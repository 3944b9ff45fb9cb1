import { describe, expect, it } from "vitest";
import { logSparingly, SPARING_INTERVAL_MS } from "./sparing";

describe("logSparingly", () => {
  it("writes a topic's first line, leaves out repeats within the interval and counts them on the next line", () => {
    const lines: string[] = [];
    const write = (line: string) => lines.push(line);
    const start = 1_000_000;
    logSparingly("test-db", "database call failed:\n\nInvalid `prisma.$queryRaw()`\n\n  Can't reach", { now: start, write });
    for (let i = 1; i <= 5; i++) logSparingly("test-db", "again", { now: start + i * 1000, write });
    logSparingly("test-other", "another topic", { now: start + 6000, write });
    logSparingly("test-db", "later", { now: start + SPARING_INTERVAL_MS, write });
    logSparingly("test-db", "quiet", { now: start + 3 * SPARING_INTERVAL_MS, write });
    expect(lines).toEqual([
      "database call failed: Invalid `prisma.$queryRaw()` Can't reach",
      "another topic",
      `later (and 5 more like it in the last ${SPARING_INTERVAL_MS / 1000} s)`,
      "quiet",
    ]);
  });
});
