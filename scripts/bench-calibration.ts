// Measures the calibration report and the overdue-reminder pass on a busy period in a scratch embedded PostgreSQL:
// --rows applications submitted over the last 90 days, each with two reviews, most decided.
// Run: npx tsx --conditions=react-server scripts/bench-calibration.ts [--rows 20000] [--runs 5]
import { performance } from "node:perf_hooks";
import { flag, runBench } from "./scratch-bench";

const ROWS = flag("rows", 20_000);
const RUNS = flag("runs", 5);
const REVIEWERS = 40;

runBench("calibration", async () => {
  const [{ getDb, disconnectDb }, { getCalibrationReport }, { sendOverdueReminders }] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/calibration/queries"),
    import("@/lib/calibration/reminders"),
  ]);
  const db = getDb();
  const admin = await db.user.create({
    data: { email: "bench-admin@gatehouse.test", name: "Bench admin", role: "ADMIN", passwordHash: "x" },
    select: { id: true, email: true, name: true, role: true, status: true },
  });
  const started = performance.now();
  await db.$executeRawUnsafe(`
    INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
    SELECT 'bench-reviewer-' || g, 'reviewer' || g || '@bench.example', 'Reviewer ' || g, 'REVIEWER', 'x', now() FROM generate_series(0, ${REVIEWERS - 1}) g`);
  await db.$executeRawUnsafe(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ('bench-owner', 'owner@bench.example', 'Owner', 'x', now())`);
  await db.$executeRawUnsafe(`INSERT INTO "Organization" (id, name, "updatedAt") VALUES ('bench-org', 'Bench Ltd', now())`);
  // Submitted over the last 90 days; 80% decided, the rest in review (the older ones overdue).
  await db.$executeRawUnsafe(`
    INSERT INTO "Application" (id, "organizationId", "createdById", stage, track, status, "productName", "currentVersion", "submittedAt", "createdAt", "updatedAt")
    SELECT 'bench-app-' || g, 'bench-org', 'bench-owner',
           (CASE WHEN g % 4 = 0 THEN 'PRODUCTION' ELSE 'ACCESS' END)::"ApplicationStage",
           (CASE WHEN g % 20 = 0 THEN 'ACADEMIC' ELSE 'STANDARD' END)::"ApplicationTrack",
           (CASE WHEN g % 5 = 0 THEN 'IN_REVIEW' ELSE 'APPROVED' END)::"ApplicationStatus",
           'Product ' || g, 1,
           now() - ((g * 89.0 / ${ROWS}) || ' days')::interval, now() - ((g * 89.0 / ${ROWS}) || ' days')::interval, now()
    FROM generate_series(1, ${ROWS}) g`);
  for (const offset of [0, 7]) {
    await db.$executeRawUnsafe(`
      INSERT INTO "Review" (id, "applicationId", "reviewerId", version, scores, recommendation, "submittedAt", "updatedAt")
      SELECT 'bench-review-${offset}-' || g, 'bench-app-' || g, 'bench-reviewer-' || ((g + ${offset}) % ${REVIEWERS}), 1,
             jsonb_build_object(
               'supportedUseCase', jsonb_build_object('score', 1 + (g + ${offset}) % 5),
               'openEndedness', jsonb_build_object('score', 1 + (g * 3 + ${offset}) % 5),
               'risk', jsonb_build_object('score', 1 + g % 5),
               'misusePlan', jsonb_build_object('score', 2 + (g + ${offset}) % 3),
               'endUsers', jsonb_build_object('score', 4)),
             'APPROVE', a."submittedAt" + ((${offset} + g % 30) || ' hours')::interval, now()
      FROM generate_series(1, ${ROWS}) g JOIN "Application" a ON a.id = 'bench-app-' || g`);
  }
  await db.$executeRawUnsafe(`
    INSERT INTO "Decision" (id, "applicationId", "adminId", outcome, "createdAt")
    SELECT 'bench-decision-' || a.id, a.id, '${admin.id}', 'APPROVED', a."submittedAt" + ((8 + random() * 60) || ' hours')::interval
    FROM "Application" a WHERE a.status = 'APPROVED'`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ReviewAssignment" (id, "applicationId", "reviewerId")
    SELECT 'bench-ra-' || a.id, a.id, 'bench-reviewer-' || (abs(hashtext(a.id)) % ${REVIEWERS}) FROM "Application" a WHERE a.status = 'IN_REVIEW'`);
  await db.$executeRawUnsafe(`ANALYZE`);
  console.log(`[bench] inserted ${ROWS.toLocaleString("en")} applications, ${(2 * ROWS).toLocaleString("en")} reviews in ${Math.round(performance.now() - started)} ms`);

  for (const period of ["30", "90", "365"]) {
    await getCalibrationReport({ actor: admin, input: { period } });
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const start = performance.now();
      await getCalibrationReport({ actor: admin, input: { period } });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`  getCalibrationReport period=${period.padEnd(4)} median ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(1).padStart(8)} ms  max ${(times.at(-1) ?? 0).toFixed(1).padStart(8)} ms`);
  }
  let start = performance.now();
  const sent = await sendOverdueReminders();
  console.log(`  sendOverdueReminders (first pass)  ${(performance.now() - start).toFixed(1).padStart(8)} ms, ${sent} reminders`);
  start = performance.now();
  const again = await sendOverdueReminders();
  console.log(`  sendOverdueReminders (second pass) ${(performance.now() - start).toFixed(1).padStart(8)} ms, ${again} reminders`);
  await disconnectDb();
});
