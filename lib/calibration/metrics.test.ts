import { describe, expect, it } from "vitest";
import { krippendorffAlpha, percentile, reviewerDeviations, shareWithin, summarizeDurations, widestSpreads, type ScoredReview } from "./metrics";

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 coders, 12 units, values 1-5.
const missing = undefined;
const coders: (number | undefined)[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, missing, missing, missing],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, missing, 3],
  [missing, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, missing],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, missing],
];
const publishedUnits = Array.from({ length: 12 }, (_, unit) => coders.map((coder) => coder[unit]).filter((value): value is number => value !== undefined));

describe("Krippendorff's alpha", () => {
  it("reproduces the published ordinal, nominal and interval alphas of the worked example", () => {
    const ordinal = krippendorffAlpha(publishedUnits, "ordinal");
    expect(ordinal.alpha).toBeCloseTo(0.815, 3);
    // Unit 12 has a single value and is not pairable: 11 units, n = 40 pairable values.
    expect(ordinal.units).toBe(11);
    expect(ordinal.pairableValues).toBe(40);
    expect(krippendorffAlpha(publishedUnits, "nominal").alpha).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(publishedUnits, "interval").alpha).toBeCloseTo(0.849, 3);
  });

  it("is 1 for perfect agreement with variation, and below 0 for systematic disagreement", () => {
    expect(krippendorffAlpha([[1, 1], [3, 3], [5, 5]], "ordinal").alpha).toBeCloseTo(1, 10);
    expect(krippendorffAlpha([[1, 5], [5, 1]], "ordinal").alpha ?? 0).toBeLessThan(0);
  });

  it("is undefined, never NaN, without enough pairable values or without variation", () => {
    expect(krippendorffAlpha([], "ordinal")).toEqual({ alpha: undefined, units: 0, pairableValues: 0 });
    expect(krippendorffAlpha([[3], [4]], "ordinal")).toEqual({ alpha: undefined, units: 0, pairableValues: 0 });
    expect(krippendorffAlpha([[3, 3], [3, 3, 3]], "ordinal")).toEqual({ alpha: undefined, units: 2, pairableValues: 5 });
  });
});

const keys = ["q1", "q2"] as const;
const review = (applicationId: string, reviewerId: string, q1: number, q2: number): ScoredReview => ({ applicationId, reviewerId, scores: { q1, q2 } });

describe("reviewer deviation and spread", () => {
  const reviews = [
    review("a", "lenient", 5, 4),
    review("a", "strict", 1, 2),
    review("a", "middle", 3, 3),
    review("b", "lenient", 4, 4),
    review("b", "middle", 4, 2),
    review("c", "alone", 1, 5),
  ];

  it("is each reviewer's mean difference from the mean of the others on the same application and question", () => {
    const deviations = reviewerDeviations(reviews, keys);
    const byId = Object.fromEntries(deviations.map((row) => [row.reviewerId, row]));
    // lenient: a/q1 5-2=3, a/q2 4-2.5=1.5, b/q1 0, b/q2 2 -> 6.5/4
    expect(byId.lenient).toEqual({ reviewerId: "lenient", meanDeviation: 1.625, scores: 4 });
    // strict: a/q1 1-4=-3, a/q2 2-3.5=-1.5 -> -2.25
    expect(byId.strict).toEqual({ reviewerId: "strict", meanDeviation: -2.25, scores: 2 });
    // middle: a/q1 3-3=0, a/q2 3-3=0, b/q1 0, b/q2 -2 -> -0.5
    expect(byId.middle).toEqual({ reviewerId: "middle", meanDeviation: -0.5, scores: 4 });
    // A reviewer alone on an application has nobody to deviate from.
    expect(byId.alone).toBeUndefined();
    expect(deviations[0]?.reviewerId).toBe("strict");
  });

  it("ranks applications with two or more reviews by their widest question spread", () => {
    expect(widestSpreads(reviews, keys)).toEqual([
      { applicationId: "a", spread: 4, questionKey: "q1", reviews: 3 },
      { applicationId: "b", spread: 2, questionKey: "q2", reviews: 2 },
    ]);
    expect(widestSpreads(reviews, keys, 1)).toHaveLength(1);
  });
});

describe("durations", () => {
  it("takes nearest-rank percentiles and the share within a target", () => {
    const hours = [10, 1, 30, 2, 5, 8, 20, 3, 4, 6];
    expect(percentile(hours, 50)).toBe(5);
    expect(percentile(hours, 90)).toBe(20);
    expect(percentile([7], 90)).toBe(7);
    expect(summarizeDurations([])).toEqual({ n: 0, p50: undefined, p90: undefined });
    expect(summarizeDurations(hours)).toEqual({ n: 10, p50: 5, p90: 20 });
    expect(shareWithin(hours, 8)).toBe(0.7);
    expect(shareWithin([], 24)).toBeUndefined();
  });
});
