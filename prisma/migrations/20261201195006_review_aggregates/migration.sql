-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "misusePlanMean" DOUBLE PRECISION,
ADD COLUMN     "reviewCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "riskMean" DOUBLE PRECISION;

-- CreateIndex
CREATE INDEX "Application_status_riskMean_idx" ON "Application"("status", "riskMean");

-- CreateIndex
CREATE INDEX "Application_status_misusePlanMean_idx" ON "Application"("status", "misusePlanMean");

-- Only reviewed applications have means, and most of them are in review or decided: statistics over the columns
-- together let the planner see that e.g. no submitted application has risk >= 4 (instead of multiplying guesses).
CREATE STATISTICS "Application_status_score_means" (mcv) ON status, "riskMean", "misusePlanMean" FROM "Application";

-- The queue's search terms risk:, misuse: and reviews: read these columns instead of aggregating Review per row.
-- Statement triggers keep them, in the transaction of whatever writes Review (the review service, a cascade, a
-- script, a bulk insert): the number of reviews, and the mean score of each question over the reviews that score it
-- (null when none does). The application rows are locked first (in id order), so that the aggregate is read after
-- any concurrent writer of the same application has committed.
CREATE OR REPLACE FUNCTION gatehouse_refresh_review_aggregates(targets text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Application" WHERE id = ANY (targets) ORDER BY id FOR UPDATE;
  UPDATE "Application" a
     SET "reviewCount" = s.n, "riskMean" = s.risk, "misusePlanMean" = s.misuse
    FROM (
      SELECT t.id,
             count(r.id)::int AS n,
             sum((r.scores -> 'risk' ->> 'score')::numeric)::float8 / NULLIF(count(r.scores -> 'risk' ->> 'score'), 0)::float8 AS risk,
             sum((r.scores -> 'misusePlan' ->> 'score')::numeric)::float8 / NULLIF(count(r.scores -> 'misusePlan' ->> 'score'), 0)::float8 AS misuse
        FROM unnest(targets) AS t(id)
        LEFT JOIN "Review" r ON r."applicationId" = t.id
       GROUP BY t.id
    ) s
   WHERE a.id = s.id
     AND (a."reviewCount", a."riskMean", a."misusePlanMean") IS DISTINCT FROM (s.n, s.risk, s.misuse);
END;
$$;

CREATE OR REPLACE FUNCTION gatehouse_review_aggregates() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM gatehouse_refresh_review_aggregates(ARRAY(SELECT DISTINCT "applicationId" FROM changed_new));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM gatehouse_refresh_review_aggregates(ARRAY(SELECT DISTINCT "applicationId" FROM changed_old));
  ELSE
    PERFORM gatehouse_refresh_review_aggregates(ARRAY(SELECT "applicationId" FROM changed_old UNION SELECT "applicationId" FROM changed_new));
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Review_aggregates_insert" AFTER INSERT ON "Review"
  REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_review_aggregates();
CREATE TRIGGER "Review_aggregates_update" AFTER UPDATE ON "Review"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_review_aggregates();
CREATE TRIGGER "Review_aggregates_delete" AFTER DELETE ON "Review"
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_review_aggregates();

-- TRUNCATE fires no row-level work: every application then has no reviews.
CREATE OR REPLACE FUNCTION gatehouse_review_aggregates_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Application" SET "reviewCount" = 0, "riskMean" = NULL, "misusePlanMean" = NULL
   WHERE "reviewCount" <> 0 OR "riskMean" IS NOT NULL OR "misusePlanMean" IS NOT NULL;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Review_aggregates_truncate" AFTER TRUNCATE ON "Review"
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_review_aggregates_truncated();

-- Backfill from the reviews that exist.
SELECT gatehouse_refresh_review_aggregates(ARRAY(SELECT DISTINCT "applicationId" FROM "Review"));
