import { describe, expect, it } from "vitest";
import { createIsoTime } from "./index";

describe("createIsoTime", () => {
  it("writes exactly pino's ISO time (toISOString) whatever the clock does", () => {
    let now = 0;
    const isoTime = createIsoTime(() => now);
    const times = [
      Date.UTC(2026, 11, 2, 9, 36, 38, 182),
      Date.UTC(2026, 11, 2, 9, 36, 38, 999),
      Date.UTC(2026, 11, 2, 9, 36, 39, 0),
      Date.UTC(2026, 11, 2, 9, 36, 39, 7),
      Date.UTC(2026, 11, 2, 9, 36, 39, 42),
      // The clock stepping back (NTP) and across a day, a month and a year.
      Date.UTC(2026, 11, 2, 9, 36, 38, 500),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1, 0, 0, 0, 1),
      0,
    ];
    for (let i = 0; i < 2_000; i++) times.push(Math.floor(Math.random() * Date.UTC(2100, 0, 1)));
    for (let i = 0; i < 2_000; i++) times.push(Date.UTC(2026, 11, 2) + i * 7);
    for (const time of times) {
      now = time;
      expect(isoTime()).toBe(`,"time":"${new Date(time).toISOString()}"`);
    }
  });
});
