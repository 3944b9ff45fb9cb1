// Balanced automatic assignment as a min-cost flow, pure and deterministic (the domain side: ./auto-assignment.ts).
//
// The network: source -> application (capacity: reviewers still needed) -> reviewer (capacity 1, no edge when the
// reviewer is conflicted or already on the application) -> sink (capacity: the reviewer's room under the load cap,
// as unit edges whose cost is the load they would bring, so the costs are convex). Every cost sits on a
// reviewer -> sink edge, so the shortest augmenting path is the one ending at the cheapest reachable reviewer unit:
// successive shortest paths become "take the least-loaded reviewer, and find an alternating path from them to an
// application that still needs someone" (moving earlier placements along the path, which keeps every load). A
// reviewer with no such path never gets one later (the placed set only grows), so they drop out. The result fills
// the most slots possible and, among those plans, minimises the sum of squared loads: loads as even as the
// conflicts and caps allow (differing by at most one when nothing else stands in the way).

export interface FlowApplication {
  id: string;
  /** Reviewers still needed (required reviews minus reviewers already on it). */
  needed: number;
  /** Reviewers who may not take it: conflicted, already assigned, or already reviewed it. */
  excludedReviewerIds: readonly string[];
}

export interface FlowReviewer {
  id: string;
  /** Open assignments now. */
  load: number;
}

export interface FlowInput {
  /** In order of preference: when not every slot can be filled, earlier applications are staffed first. */
  applications: readonly FlowApplication[];
  /** Ties between equally loaded reviewers go to the earlier one. */
  reviewers: readonly FlowReviewer[];
  /** No reviewer ends above this many open assignments (one already above it gets nothing more). */
  cap: number;
}

export interface FlowPlan {
  /** Grouped by application, in input order; each application's reviewers in input order. */
  assignments: { applicationId: string; reviewerId: string }[];
  /** Per reviewer, in input order. */
  loads: { reviewerId: string; before: number; after: number }[];
  /** Slots left empty per application (only applications with some left). */
  unfilled: { applicationId: string; missing: number }[];
}

const FREE = 1;
const PLACED = 2;

export function planAssignments({ applications, reviewers, cap }: FlowInput): FlowPlan {
  const appCount = applications.length;
  const reviewerCount = reviewers.length;
  const reviewerIndex = new Map(reviewers.map((reviewer, index) => [reviewer.id, index]));
  // edge[a * R + r]: 0 none, FREE allowed and unused, PLACED in the plan.
  const edge = new Uint8Array(appCount * reviewerCount);
  const remaining = new Int32Array(appCount);
  const placedOn: number[][] = applications.map(() => []);
  const neighbours: number[][] = reviewers.map(() => []);
  applications.forEach((application, a) => {
    remaining[a] = Math.max(0, application.needed);
    if (remaining[a] === 0) return;
    edge.fill(FREE, a * reviewerCount, (a + 1) * reviewerCount);
    for (const id of application.excludedReviewerIds) {
      const r = reviewerIndex.get(id);
      if (r !== undefined) edge[a * reviewerCount + r] = 0;
    }
    for (let r = 0; r < reviewerCount; r++) if (edge[a * reviewerCount + r] === FREE) neighbours[r]?.push(a);
  });
  const load = reviewers.map((reviewer) => reviewer.load);
  const isOut = reviewers.map((reviewer) => reviewer.load >= cap);
  let open = remaining.reduce((sum, value) => sum + value, 0);

  // Breadth-first search state, reused: stamp marks the apps seen in this search; from* rebuild the path.
  const seen = new Int32Array(appCount);
  const fromApp = new Int32Array(appCount);
  const viaReviewer = new Int32Array(appCount);
  const queue = new Int32Array(appCount);
  let stamp = 0;

  // Per reviewer, the first neighbour that may still have an empty slot (slots only ever fill, so it only advances).
  const cursor = new Int32Array(reviewerCount);

  /** An alternating path from reviewer `start` to an application with an empty slot; applies it and returns true. */
  const augment = (start: number): boolean => {
    const own = neighbours[start] ?? [];
    let first = cursor[start] ?? 0;
    while (first < own.length && remaining[own[first] ?? 0] === 0) first++;
    cursor[start] = first;
    for (let i = first; i < own.length; i++) {
      const a = own[i] ?? 0;
      if ((remaining[a] ?? 0) > 0 && edge[a * reviewerCount + start] === FREE) {
        fromApp[a] = -1;
        viaReviewer[a] = start;
        apply(a);
        return true;
      }
    }
    // No direct room: search through full applications whose planned reviewers could move elsewhere.
    stamp++;
    let head = 0;
    let tail = 0;
    for (const a of own) {
      if (edge[a * reviewerCount + start] !== FREE) continue;
      seen[a] = stamp;
      fromApp[a] = -1;
      viaReviewer[a] = start;
      queue[tail++] = a;
    }
    while (head < tail) {
      const a = queue[head++] ?? 0;
      for (const r of placedOn[a] ?? []) {
        for (const next of neighbours[r] ?? []) {
          if (seen[next] === stamp || edge[next * reviewerCount + r] !== FREE) continue;
          seen[next] = stamp;
          fromApp[next] = a;
          viaReviewer[next] = r;
          if ((remaining[next] ?? 0) > 0) {
            apply(next);
            return true;
          }
          queue[tail++] = next;
        }
      }
    }
    return false;
  };

  /** Walks the path back from `end`: each reviewer on it takes the later application and leaves the earlier one. */
  const apply = (end: number) => {
    remaining[end] = (remaining[end] ?? 0) - 1;
    let a = end;
    for (;;) {
      const r = viaReviewer[a] ?? 0;
      edge[a * reviewerCount + r] = PLACED;
      placedOn[a]?.push(r);
      const previous = fromApp[a] ?? -1;
      if (previous < 0) return;
      edge[previous * reviewerCount + r] = FREE;
      const list = placedOn[previous] ?? [];
      list.splice(list.indexOf(r), 1);
      a = previous;
    }
  };

  while (open > 0) {
    let best = -1;
    for (let r = 0; r < reviewerCount; r++) {
      if (isOut[r]) continue;
      if (best < 0 || (load[r] ?? 0) < (load[best] ?? 0)) best = r;
    }
    if (best < 0) break;
    if (augment(best)) {
      load[best] = (load[best] ?? 0) + 1;
      open--;
      if ((load[best] ?? 0) >= cap) isOut[best] = true;
    } else {
      isOut[best] = true;
    }
  }

  const assignments: FlowPlan["assignments"] = [];
  applications.forEach((application, a) => {
    const placed = [...(placedOn[a] ?? [])].sort((x, y) => x - y);
    for (const r of placed) assignments.push({ applicationId: application.id, reviewerId: reviewers[r]?.id ?? "" });
  });
  return {
    assignments,
    loads: reviewers.map((reviewer, r) => ({ reviewerId: reviewer.id, before: reviewer.load, after: load[r] ?? reviewer.load })),
    unfilled: applications.flatMap((application, a) => ((remaining[a] ?? 0) > 0 ? [{ applicationId: application.id, missing: remaining[a] ?? 0 }] : [])),
  };
}
