ALTER TABLE "task_assignments" ADD COLUMN "done" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "task_assignments" ADD COLUMN "awaiting_review" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "task_assignments" ADD COLUMN "first_due" date;--> statement-breakpoint
ALTER TABLE "task_assignments" ADD COLUMN "gap_starts" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "task_assignments" ADD COLUMN "gap_ends" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
-- An assignment's light inputs (done, awaiting review, first fixed due date, first short period per
-- recurring deadline), recomputed from its reports and its task's deadlines for the assignments
-- given. The rows are locked first and read in a second statement: under READ COMMITTED that
-- statement's snapshot is taken after a concurrent writer of the same assignment has committed, so
-- two reports approved at once are both counted.
CREATE OR REPLACE FUNCTION refresh_assignment_lights(ids integer[]) RETURNS void AS $$
BEGIN
  -- A draft saved again, a plan's title edited: nothing to recount.
  IF cardinality(ids) = 0 THEN RETURN; END IF;
  PERFORM 1 FROM task_assignments WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
  WITH a AS (
    SELECT a.id, a.task_id, a.unit_id, p.year
      FROM task_assignments a
      JOIN tasks t ON t.id = a.task_id
      JOIN plans p ON p.id = t.plan_id
     WHERE a.id = ANY(ids)
  ),
  st AS (
    SELECT a.id,
           bool_or(r.state = 'approved') AS done,
           bool_or(r.state = 'submitted') AS awaiting
      FROM a
      JOIN progress_reports r ON r.task_id = a.task_id AND r.unit_id = a.unit_id
     WHERE r.state = 'submitted' OR (r.state = 'approved' AND r.status = 'done')
     GROUP BY a.id
  ),
  fixed AS (
    SELECT dl.task_id, min(dl.due_date) AS first_due
      FROM deadlines dl
     WHERE dl.task_id IN (SELECT task_id FROM a) AND dl.kind <> 'recurring' AND dl.due_date IS NOT NULL
     GROUP BY dl.task_id
  ),
  -- Every period of the plan's year of each recurring deadline, clipped to the year.
  periods AS (
    SELECT a.id, dl.id AS deadline_id, (dl.rule->>'times')::int AS times, pr.start_day, pr.end_day
      FROM a
      JOIN deadlines dl ON dl.task_id = a.task_id AND dl.kind = 'recurring'
      CROSS JOIN LATERAL (
        SELECT greatest(s::date, make_date(a.year, 1, 1)) AS start_day,
               least(CASE WHEN dl.rule->>'period' = 'week' THEN s::date + 6
                          ELSE (s + step.i - interval '1 day')::date END,
                     make_date(a.year, 12, 31)) AS end_day
          FROM (SELECT CASE dl.rule->>'period' WHEN 'month' THEN interval '1 month'
                       WHEN 'quarter' THEN interval '3 months' WHEN 'halfYear' THEN interval '6 months'
                       WHEN 'week' THEN interval '1 week' ELSE interval '1 year' END AS i) step,
               generate_series(
                 CASE WHEN dl.rule->>'period' = 'week' THEN date_trunc('week', make_date(a.year, 1, 1)::timestamp)
                      ELSE make_date(a.year, 1, 1)::timestamp END,
                 make_date(a.year, 12, 31)::timestamp, step.i) s
      ) pr
  ),
  -- The day an approved report's work counts for, as the lights read it (China's day, UTC+8).
  rep AS (
    SELECT a.id, coalesce(r.occurred_on,
             ((r.submitted_at AT TIME ZONE 'UTC') + interval '8 hours')::date, r.period_start) AS on_day
      FROM a
      JOIN progress_reports r ON r.task_id = a.task_id AND r.unit_id = a.unit_id
     WHERE r.state = 'approved' AND a.id IN (SELECT id FROM periods)
  ),
  counted AS (
    SELECT p.id, p.deadline_id, p.times, p.start_day, p.end_day, count(r.id) AS n
      FROM periods p
      LEFT JOIN rep r ON r.id = p.id AND r.on_day BETWEEN p.start_day AND p.end_day
     GROUP BY 1, 2, 3, 4, 5
  ),
  gaps AS (
    SELECT DISTINCT ON (id, deadline_id) id, start_day, end_day
      FROM counted
     WHERE n < times
     ORDER BY id, deadline_id, end_day, start_day
  ),
  g AS (
    SELECT id, array_agg(start_day ORDER BY end_day, start_day) AS starts,
           array_agg(end_day ORDER BY end_day, start_day) AS ends
      FROM gaps GROUP BY id
  ),
  v AS (
    SELECT a.id, coalesce(st.done, false) AS done, coalesce(st.awaiting, false) AS awaiting,
           f.first_due, coalesce(g.starts, '{}') AS starts, coalesce(g.ends, '{}') AS ends
      FROM a
      LEFT JOIN st ON st.id = a.id
      LEFT JOIN fixed f ON f.task_id = a.task_id
      LEFT JOIN g ON g.id = a.id
  )
  UPDATE task_assignments ta
     SET done = v.done, awaiting_review = v.awaiting, first_due = v.first_due,
         gap_starts = v.starts, gap_ends = v.ends
    FROM v
   WHERE ta.id = v.id
     AND (ta.done, ta.awaiting_review, ta.first_due, ta.gap_starts, ta.gap_ends)
         IS DISTINCT FROM (v.done, v.awaiting, v.first_due, v.starts, v.ends);
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Reports written, reviewed, withdrawn or deleted: the assignments of the (task, unit) pairs whose
-- light-bearing columns changed (a draft's text saved again changes nothing).
CREATE OR REPLACE FUNCTION assignment_lights_after_reports() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_assignment_lights(array(
      SELECT a.id FROM task_assignments a JOIN (SELECT DISTINCT task_id, unit_id FROM new_rows) c
        ON c.task_id = a.task_id AND c.unit_id = a.unit_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_assignment_lights(array(
      SELECT a.id FROM task_assignments a JOIN (SELECT DISTINCT task_id, unit_id FROM old_rows) c
        ON c.task_id = a.task_id AND c.unit_id = a.unit_id));
  ELSE
    PERFORM refresh_assignment_lights(array(
      SELECT a.id FROM task_assignments a JOIN (
        SELECT x.task_id, x.unit_id
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          CROSS JOIN LATERAL (VALUES (n.task_id, n.unit_id), (o.task_id, o.unit_id)) x(task_id, unit_id)
         WHERE (n.state, n.status, n.occurred_on, n.submitted_at, n.period_start, n.task_id, n.unit_id)
               IS DISTINCT FROM
               (o.state, o.status, o.occurred_on, o.submitted_at, o.period_start, o.task_id, o.unit_id)
      ) c ON c.task_id = a.task_id AND c.unit_id = a.unit_id));
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER progress_reports_lights_insert AFTER INSERT ON progress_reports
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_lights_after_reports();
--> statement-breakpoint
CREATE TRIGGER progress_reports_lights_update AFTER UPDATE ON progress_reports
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION assignment_lights_after_reports();
--> statement-breakpoint
CREATE TRIGGER progress_reports_lights_delete AFTER DELETE ON progress_reports
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_lights_after_reports();
--> statement-breakpoint
-- A task's deadlines added, moved or removed (an event date recorded): all its assignments.
CREATE OR REPLACE FUNCTION assignment_lights_after_deadlines() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_assignment_lights(array(
      SELECT a.id FROM task_assignments a WHERE a.task_id IN (SELECT task_id FROM new_rows)));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_assignment_lights(array(
      SELECT a.id FROM task_assignments a WHERE a.task_id IN (SELECT task_id FROM old_rows)));
  ELSE
    PERFORM refresh_assignment_lights(array(
      SELECT a.id FROM task_assignments a
       WHERE a.task_id IN (SELECT task_id FROM new_rows UNION SELECT task_id FROM old_rows)));
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER deadlines_lights_insert AFTER INSERT ON deadlines
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_lights_after_deadlines();
--> statement-breakpoint
CREATE TRIGGER deadlines_lights_update AFTER UPDATE ON deadlines
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION assignment_lights_after_deadlines();
--> statement-breakpoint
CREATE TRIGGER deadlines_lights_delete AFTER DELETE ON deadlines
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_lights_after_deadlines();
--> statement-breakpoint
-- A unit assigned (or assigned again after an edit): its light from what is already there.
CREATE OR REPLACE FUNCTION assignment_lights_after_assignments() RETURNS trigger AS $$
BEGIN
  PERFORM refresh_assignment_lights(array(SELECT id FROM new_rows));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER task_assignments_lights_insert AFTER INSERT ON task_assignments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_lights_after_assignments();
--> statement-breakpoint
-- A plan's year moves every period of its recurring deadlines.
CREATE OR REPLACE FUNCTION assignment_lights_after_plans() RETURNS trigger AS $$
BEGIN
  PERFORM refresh_assignment_lights(array(
    SELECT a.id FROM task_assignments a JOIN tasks t ON t.id = a.task_id
      JOIN new_rows n ON n.id = t.plan_id JOIN old_rows o ON o.id = n.id
     WHERE n.year IS DISTINCT FROM o.year));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER plans_lights_update AFTER UPDATE ON plans
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION assignment_lights_after_plans();
--> statement-breakpoint
SELECT refresh_assignment_lights(array(SELECT id FROM task_assignments));
