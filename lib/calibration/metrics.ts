// Pure statistics for the calibration page: Krippendorff's alpha, reviewer deviation, score spread, percentiles.
// No database here, so each function is tested on constructed data (lib/calibration/metrics.test.ts).

export type AlphaMetric = "nominal" | "ordinal" | "interval";

export interface AlphaResult {
  /** Undefined when it cannot be computed: fewer than 2 pairable values, or no variation at all. */
  alpha: number | undefined;
  /** Units (applications) with at least two values, the only ones that count. */
  units: number;
  /** n: the number of pairable values (the values in those units). */
  pairableValues: number;
}

/**
 * Krippendorff's alpha by the coincidence-matrix method (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability"). `units` holds each unit's values from the coders who scored it (missing values left out).
 */
export function krippendorffAlpha(units: readonly (readonly number[])[], metric: AlphaMetric): AlphaResult {
  const pairable = units.filter((values) => values.length >= 2);
  const values = [...new Set(pairable.flat())].sort((a, b) => a - b);
  const index = new Map(values.map((value, i) => [value, i]));
  const size = values.length;
  // o[c][k]: coincidences of value c with value k, each pair in a unit weighted by 1 / (m_u - 1).
  const o = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const unit of pairable) {
    const weight = 1 / (unit.length - 1);
    unit.forEach((a, i) => {
      unit.forEach((b, j) => {
        if (i === j) return;
        const row = o[index.get(a) ?? 0];
        if (row) row[index.get(b) ?? 0] = (row[index.get(b) ?? 0] ?? 0) + weight;
      });
    });
  }
  const marginals = o.map((row) => row.reduce((sum, cell) => sum + cell, 0));
  const n = marginals.reduce((sum, value) => sum + value, 0);
  const result = { units: pairable.length, pairableValues: Math.round(n) };
  if (n < 2) return { ...result, alpha: undefined };

  const distance = (c: number, k: number): number => {
    const vc = values[c] ?? 0;
    const vk = values[k] ?? 0;
    switch (metric) {
      case "nominal":
        return c === k ? 0 : 1;
      case "interval":
        return (vc - vk) ** 2;
      case "ordinal": {
        const [low, high] = c <= k ? [c, k] : [k, c];
        let between = 0;
        for (let g = low; g <= high; g += 1) between += marginals[g] ?? 0;
        return (between - ((marginals[c] ?? 0) + (marginals[k] ?? 0)) / 2) ** 2;
      }
      default: {
        const unknown: never = metric;
        throw new Error(`Unknown metric ${String(unknown)}`);
      }
    }
  };

  let observed = 0;
  let expected = 0;
  for (let c = 0; c < size; c += 1) {
    for (let k = 0; k < size; k += 1) {
      const d = distance(c, k);
      observed += (o[c]?.[k] ?? 0) * d;
      expected += (marginals[c] ?? 0) * (marginals[k] ?? 0) * d;
    }
  }
  // alpha = 1 - D_o / D_e with D_o = observed / n and D_e = expected / (n (n - 1)).
  if (expected === 0) return { ...result, alpha: undefined };
  const alpha = 1 - ((n - 1) * observed) / expected;
  return { ...result, alpha: Number.isFinite(alpha) ? alpha : undefined };
}

export interface ScoredReview {
  applicationId: string;
  reviewerId: string;
  /** Question key -> score (1-5). */
  scores: Readonly<Record<string, number>>;
}

export interface ReviewerDeviation {
  reviewerId: string;
  /** Mean of (their score - the mean of the other reviewers' scores on the same application and question). */
  meanDeviation: number;
  /** How many of their scores had at least one other reviewer's score to compare with. */
  scores: number;
}

/** Each reviewer's mean deviation from the others, over the applications another reviewer also scored. */
export function reviewerDeviations(reviews: readonly ScoredReview[], questionKeys: readonly string[]): ReviewerDeviation[] {
  const byApplication = groupBy(reviews, (review) => review.applicationId);
  const totals = new Map<string, { sum: number; count: number }>();
  for (const group of byApplication.values()) {
    if (group.length < 2) continue;
    for (const review of group) {
      for (const key of questionKeys) {
        const own = review.scores[key];
        if (own === undefined) continue;
        const others = group.filter((other) => other !== review).map((other) => other.scores[key]).filter((score): score is number => score !== undefined);
        if (others.length === 0) continue;
        const total = totals.get(review.reviewerId) ?? { sum: 0, count: 0 };
        total.sum += own - mean(others);
        total.count += 1;
        totals.set(review.reviewerId, total);
      }
    }
  }
  return [...totals.entries()]
    .map(([reviewerId, { sum, count }]) => ({ reviewerId, meanDeviation: sum / count, scores: count }))
    .sort((a, b) => Math.abs(b.meanDeviation) - Math.abs(a.meanDeviation) || a.reviewerId.localeCompare(b.reviewerId));
}

export interface ApplicationSpread {
  applicationId: string;
  /** The widest max - min of the reviewers' scores on any one question. */
  spread: number;
  /** The question where that spread is (the first such, in questionKeys order). */
  questionKey: string;
  reviews: number;
}

/** Applications with at least two reviews, widest spread first (ties: more reviews, then id), at most `limit`. */
export function widestSpreads(reviews: readonly ScoredReview[], questionKeys: readonly string[], limit = 10): ApplicationSpread[] {
  const spreads: ApplicationSpread[] = [];
  for (const [applicationId, group] of groupBy(reviews, (review) => review.applicationId)) {
    if (group.length < 2) continue;
    let best: ApplicationSpread | undefined;
    for (const key of questionKeys) {
      const scores = group.map((review) => review.scores[key]).filter((score): score is number => score !== undefined);
      if (scores.length < 2) continue;
      const spread = Math.max(...scores) - Math.min(...scores);
      if (!best || spread > best.spread) best = { applicationId, spread, questionKey: key, reviews: group.length };
    }
    if (best) spreads.push(best);
  }
  return spreads.sort((a, b) => b.spread - a.spread || b.reviews - a.reviews || a.applicationId.localeCompare(b.applicationId)).slice(0, limit);
}

/** The nearest-rank percentile (p in 0-100) of `values`; undefined for an empty list. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export interface DurationSummary {
  n: number;
  p50: number | undefined;
  p90: number | undefined;
}

export function summarizeDurations(hours: readonly number[]): DurationSummary {
  return { n: hours.length, p50: percentile(hours, 50), p90: percentile(hours, 90) };
}

/** The share (0-1) of `hours` at or under `targetHours`; undefined when there is nothing to count. */
export function shareWithin(hours: readonly number[], targetHours: number): number | undefined {
  if (hours.length === 0) return undefined;
  return hours.filter((value) => value <= targetHours).length / hours.length;
}

export const HOUR_MS = 3_600_000;

export function hoursBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / HOUR_MS;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const id = key(item);
    const group = groups.get(id);
    if (group) group.push(item);
    else groups.set(id, [item]);
  }
  return groups;
}
