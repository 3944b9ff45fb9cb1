import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/models/ngram/generate";
import { planAssignments, type FlowInput, type FlowPlan } from "./assignment-flow";

function randomInstance(seed: number, { apps, reviewers, maxNeeded, conflictRate, maxLoad, cap }: { apps: number; reviewers: number; maxNeeded: number; conflictRate: number; maxLoad: number; cap: number }): FlowInput {
  // Seeded (the n-gram model's mulberry32), so every random instance can be replayed.
  const next = createRandom(seed);
  const reviewerList = Array.from({ length: reviewers }, (_, r) => ({ id: `r${r}`, load: Math.floor(next() * (maxLoad + 1)) }));
  return {
    cap,
    reviewers: reviewerList,
    applications: Array.from({ length: apps }, (_, a) => ({
      id: `a${a}`,
      needed: Math.floor(next() * (maxNeeded + 1)),
      excludedReviewerIds: reviewerList.filter(() => next() < conflictRate).map((reviewer) => reviewer.id),
    })),
  };
}

/** Every rule a plan must keep, whatever the instance. */
function expectValid(input: FlowInput, plan: FlowPlan) {
  const seenPairs = new Set<string>();
  const perApp = new Map<string, number>();
  const added = new Map<string, number>();
  for (const { applicationId, reviewerId } of plan.assignments) {
    const application = input.applications.find((candidate) => candidate.id === applicationId);
    expect(application, "planned application exists").toBeDefined();
    expect(application?.excludedReviewerIds, `${reviewerId} is not excluded from ${applicationId}`).not.toContain(reviewerId);
    expect(seenPairs.has(`${applicationId}/${reviewerId}`), "no reviewer twice on one application").toBe(false);
    seenPairs.add(`${applicationId}/${reviewerId}`);
    perApp.set(applicationId, (perApp.get(applicationId) ?? 0) + 1);
    added.set(reviewerId, (added.get(reviewerId) ?? 0) + 1);
  }
  for (const application of input.applications) {
    const placed = perApp.get(application.id) ?? 0;
    expect(placed).toBeLessThanOrEqual(Math.max(0, application.needed));
    const missing = plan.unfilled.find((row) => row.applicationId === application.id)?.missing ?? 0;
    expect(placed + missing).toBe(Math.max(0, application.needed));
  }
  for (const reviewer of input.reviewers) {
    const after = reviewer.load + (added.get(reviewer.id) ?? 0);
    expect(plan.loads.find((row) => row.reviewerId === reviewer.id)).toEqual({ reviewerId: reviewer.id, before: reviewer.load, after });
    if (added.has(reviewer.id)) expect(after).toBeLessThanOrEqual(input.cap);
  }
}

function sumOfSquares(loads: number[]) {
  return loads.reduce((sum, load) => sum + load * load, 0);
}

/** Every feasible plan of a small instance: the most slots fillable, and among those the most even loads. */
function bruteForce({ applications, reviewers, cap }: FlowInput) {
  const options = applications.map((application) => {
    const allowed = reviewers.map((_, r) => r).filter((r) => !application.excludedReviewerIds.includes(reviewers[r]?.id ?? ""));
    const subsets: number[][] = [];
    for (let mask = 0; mask < 1 << allowed.length; mask++) {
      const subset = allowed.filter((_, bit) => mask & (1 << bit));
      if (subset.length <= application.needed) subsets.push(subset);
    }
    return subsets;
  });
  let best = { filled: -1, squares: Infinity, maxLoad: Infinity };
  const loads = reviewers.map((reviewer) => reviewer.load);
  const walk = (a: number, filled: number) => {
    if (a === applications.length) {
      const squares = sumOfSquares(loads);
      const maxLoad = Math.max(...loads);
      if (filled > best.filled || (filled === best.filled && squares < best.squares)) best = { filled, squares, maxLoad: filled > best.filled ? maxLoad : Math.min(maxLoad, best.maxLoad) };
      else if (filled === best.filled) best.maxLoad = Math.min(best.maxLoad, maxLoad);
      return;
    }
    for (const subset of options[a] ?? []) {
      if (subset.some((r) => (loads[r] ?? 0) + 1 > cap)) continue;
      for (const r of subset) loads[r] = (loads[r] ?? 0) + 1;
      walk(a + 1, filled + subset.length);
      for (const r of subset) loads[r] = (loads[r] ?? 0) - 1;
    }
  };
  walk(0, 0);
  return best;
}

describe("planAssignments (min-cost flow)", () => {
  it("never plans a conflicted or already-assigned reviewer, nobody twice, and nobody past the cap", () => {
    const input: FlowInput = {
      cap: 2,
      reviewers: [
        { id: "ann", load: 0 },
        { id: "bob", load: 1 },
        { id: "cy", load: 2 },
      ],
      applications: [
        { id: "x", needed: 2, excludedReviewerIds: ["ann"] },
        { id: "y", needed: 2, excludedReviewerIds: [] },
        { id: "z", needed: 1, excludedReviewerIds: ["bob"] },
      ],
    };
    const plan = planAssignments(input);
    expectValid(input, plan);
    expect(plan.assignments.filter((row) => row.reviewerId === "cy")).toEqual([]);
    expect(plan.loads.map((row) => row.after)).toEqual([2, 2, 2]);
    expect(plan.assignments).toHaveLength(3);
    expect(plan.unfilled.reduce((sum, row) => sum + row.missing, 0)).toBe(2);
  });

  it("moves an earlier placement along an alternating path rather than leave a slot empty", () => {
    // Greedy "first application first" would give ann x and leave y empty; the flow gives ann y and bob x.
    const input: FlowInput = {
      cap: 1,
      reviewers: [
        { id: "ann", load: 0 },
        { id: "bob", load: 0 },
      ],
      applications: [
        { id: "x", needed: 1, excludedReviewerIds: [] },
        { id: "y", needed: 1, excludedReviewerIds: ["bob"] },
      ],
    };
    const plan = planAssignments(input);
    expect(plan.assignments).toEqual([
      { applicationId: "x", reviewerId: "bob" },
      { applicationId: "y", reviewerId: "ann" },
    ]);
    expect(plan.unfilled).toEqual([]);
  });

  it("spreads evenly: without conflicts, loads end at most one apart", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const input = randomInstance(seed, { apps: 40, reviewers: 7, maxNeeded: 3, conflictRate: 0, maxLoad: 0, cap: 1_000 });
      const plan = planAssignments(input);
      expectValid(input, plan);
      expect(plan.unfilled).toEqual([]);
      const after = plan.loads.map((row) => row.after);
      expect(Math.max(...after) - Math.min(...after), `seed ${seed}`).toBeLessThanOrEqual(1);
    }
  });

  it("fills the most slots and gives the most even loads possible (against a brute force on 300 small random instances)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const input = randomInstance(seed, { apps: 4, reviewers: 4, maxNeeded: 2, conflictRate: 0.3, maxLoad: 2, cap: 3 });
      const plan = planAssignments(input);
      expectValid(input, plan);
      const best = bruteForce(input);
      const after = plan.loads.map((row) => row.after);
      expect(plan.assignments.length, `seed ${seed}: slots filled`).toBe(best.filled);
      expect(sumOfSquares(after), `seed ${seed}: sum of squared loads`).toBe(best.squares);
      expect(Math.max(...after), `seed ${seed}: highest load`).toBe(best.maxLoad);
    }
  });

  it("is deterministic: the same input gives the same plan", () => {
    const input = randomInstance(7, { apps: 200, reviewers: 12, maxNeeded: 2, conflictRate: 0.1, maxLoad: 4, cap: 20 });
    expect(planAssignments(input)).toEqual(planAssignments(structuredClone(input)));
  });

  it("staffs earlier applications first when there are not enough reviewers", () => {
    const input: FlowInput = {
      cap: 1,
      reviewers: [
        { id: "ann", load: 0 },
        { id: "bob", load: 0 },
      ],
      applications: [
        { id: "first", needed: 2, excludedReviewerIds: [] },
        { id: "second", needed: 2, excludedReviewerIds: [] },
      ],
    };
    const plan = planAssignments(input);
    expect(plan.assignments.map((row) => row.applicationId)).toEqual(["first", "first"]);
    expect(plan.unfilled).toEqual([{ applicationId: "second", missing: 2 }]);
  });

  for (const cap of [10, 200]) {
    it(`plans 2,000 applications x 30 reviewers (cap ${cap}) well under a second`, () => {
      const input = randomInstance(11, { apps: 2_000, reviewers: 30, maxNeeded: 3, conflictRate: 0.05, maxLoad: 5, cap });
      const started = performance.now();
      const plan = planAssignments(input);
      const elapsed = performance.now() - started;
      console.info(`assignment-flow bench: 2,000 applications x 30 reviewers, cap ${cap}: ${plan.assignments.length} slots planned in ${elapsed.toFixed(1)} ms`);
      expectValid(input, plan);
      expect(elapsed).toBeLessThan(1_000);
    });
  }
});
