import { describe, expect, it } from "vitest";
import { pooledRandomBytes, pooledRandomUint32 } from "./random";

describe("pooledRandomBytes", () => {
  it("hands out fresh bytes of the size asked, across many refills of the pool, never the same twice", () => {
    const seen = new Set<string>();
    // 12 bytes at a time: 341 draws per 4 KiB pool, so this crosses the refill many times (and its uneven edge).
    for (let i = 0; i < 20_000; i++) {
      const bytes = pooledRandomBytes(12);
      expect(bytes.length).toBe(12);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(20_000);
  });

  it("returns copies: refilling the pool does not change bytes already handed out", () => {
    const first = pooledRandomBytes(16);
    const kept = Buffer.from(first);
    // Two pools' worth of draws: the pool has been refilled over the place `first` came from.
    for (let i = 0; i < 512; i++) pooledRandomBytes(16);
    expect(first.equals(kept)).toBe(true);
  });

  it("refuses more than the pool holds", () => {
    expect(() => pooledRandomBytes(4097)).toThrow(RangeError);
    expect(pooledRandomBytes(4096).length).toBe(4096);
  });

  it("spreads 32-bit seeds over the whole range", () => {
    const values = Array.from({ length: 4_000 }, () => pooledRandomUint32());
    expect(Math.min(...values)).toBeLessThan(2 ** 32 / 100);
    expect(Math.max(...values)).toBeGreaterThan(2 ** 32 - 2 ** 32 / 100);
    expect(new Set(values).size).toBeGreaterThan(3_990);
  });
});
