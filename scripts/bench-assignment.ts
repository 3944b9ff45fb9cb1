// Measures automatic assignment end to end in a scratch embedded PostgreSQL: --apps applications awaiting review
// (a quarter production reviews, a tenth already with one reviewer), --reviewers reviewers, some conflicts declared;
// times the preview (reads and the min-cost flow) and the confirmation (re-plan under the locks, then the writes).
// Run: npx tsx --conditions=react-server scripts/bench-assignment.ts [--apps 2000] [--reviewers 30] [--cap 200]
import { performance } from "node:perf_hooks";
import { flag, runBench } from "./scratch-bench";

const APPS = flag("apps", 2_000);
const REVIEWERS = flag("reviewers", 30);
const CAP = flag("cap", 200);

runBench("assignment", async () => {
  const [{ getDb, disconnectDb }, { previewAutoAssignment, confirmAutoAssignment }, { updateReviewSettings, getReviewSettings }] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/reviews/auto-assignment"),
    import("@/lib/reviews/settings"),
  ]);
  const db = getDb();
  const admin = await db.user.create({
    data: { email: "bench-admin@gatehouse.test", name: "Bench admin", role: "ADMIN", passwordHash: "x" },
    select: { id: true, email: true, name: true, role: true, status: true },
  });
  await updateReviewSettings({ actor: admin, input: { ...(await getReviewSettings()), maxOpenAssignmentsPerReviewer: CAP } });
  await db.$executeRawUnsafe(`
    INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
    SELECT 'bench-reviewer-' || g, 'reviewer' || lpad(g::text, 3, '0') || '@bench.example', 'Reviewer ' || g, 'REVIEWER', 'x', now() FROM generate_series(0, ${REVIEWERS - 1}) g`);
  await db.$executeRawUnsafe(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ('bench-owner', 'owner@bench.example', 'Owner', 'x', now())`);
  await db.$executeRawUnsafe(`INSERT INTO "Organization" (id, name, "updatedAt") VALUES ('bench-org', 'Bench Ltd', now())`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Application" (id, "organizationId", "createdById", stage, status, "productName", "currentVersion", "submittedAt", "createdAt", "updatedAt")
    SELECT 'bench-app-' || g, 'bench-org', 'bench-owner', (CASE WHEN g % 4 = 0 THEN 'PRODUCTION' ELSE 'ACCESS' END)::"ApplicationStage",
           (CASE WHEN g % 10 = 0 THEN 'IN_REVIEW' ELSE 'SUBMITTED' END)::"ApplicationStatus", 'Product ' || g, 1,
           now() - (g || ' minutes')::interval, now(), now()
    FROM generate_series(1, ${APPS}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ReviewAssignment" (id, "applicationId", "reviewerId")
    SELECT 'bench-ra-' || a.id, a.id, 'bench-reviewer-' || (abs(hashtext(a.id)) % ${REVIEWERS}) FROM "Application" a WHERE a.status = 'IN_REVIEW'`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ConflictDeclaration" (id, "applicationId", "reviewerId", reason)
    SELECT 'bench-cd-' || a.id, a.id, 'bench-reviewer-' || (abs(hashtext(a.id || 'c')) % ${REVIEWERS}), 'Bench conflict'
    FROM "Application" a WHERE abs(hashtext(a.id)) % 20 = 0
    ON CONFLICT DO NOTHING`);
  await db.$executeRawUnsafe(`ANALYZE`);
  const reviewer = Array.from({ length: REVIEWERS }, (_, g) => `bench-reviewer-${g}`);

  let start = performance.now();
  const plan = await previewAutoAssignment({ actor: admin, input: { reviewer } });
  const previewMs = performance.now() - start;
  start = performance.now();
  const result = await confirmAutoAssignment({ actor: admin, input: { reviewer, digest: plan.digest } });
  const confirmMs = performance.now() - start;
  const loads = plan.loads.map((row) => row.after);
  console.log(`[bench] ${APPS.toLocaleString("en")} applications awaiting review, ${REVIEWERS} reviewers, cap ${CAP}`);
  console.log(`  preview  ${previewMs.toFixed(0).padStart(6)} ms: ${plan.assignments.length} assignments, ${plan.unstaffed.length} applications short, loads ${Math.min(...loads)}-${Math.max(...loads)}`);
  console.log(`  confirm  ${confirmMs.toFixed(0).padStart(6)} ms: ${result.assigned} assignments on ${result.applications} applications, ${result.reviewers} reviewers notified`);
  await disconnectDb();
});
