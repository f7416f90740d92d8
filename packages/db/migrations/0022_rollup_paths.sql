CREATE TABLE "task_light_groups" (
	"task_id" integer NOT NULL,
	"done" boolean NOT NULL,
	"first_due" date,
	"gap_starts" date[] NOT NULL,
	"gap_ends" date[] NOT NULL,
	"assignments" integer NOT NULL,
	"awaiting_review" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "upper_task_ids" integer[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "upper_plan_ids" integer[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "task_light_groups" ADD CONSTRAINT "task_light_groups_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_light_groups_task_idx" ON "task_light_groups" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "tasks_upper_plans_idx" ON "tasks" USING gin ("upper_plan_ids");--> statement-breakpoint
-- A task's light groups, recounted from its assignments' kept inputs. The task rows are locked
-- first and counted in a second statement, so two units of one task approved at once are both
-- counted (the second waits for the first to commit, then reads it).
CREATE OR REPLACE FUNCTION refresh_task_light_groups(task_ids integer[]) RETURNS void AS $$
BEGIN
  IF cardinality(task_ids) = 0 THEN RETURN; END IF;
  PERFORM 1 FROM tasks WHERE id = ANY(task_ids) ORDER BY id FOR NO KEY UPDATE;
  DELETE FROM task_light_groups WHERE task_id = ANY(task_ids);
  INSERT INTO task_light_groups (task_id, done, first_due, gap_starts, gap_ends, assignments, awaiting_review)
  SELECT task_id, done, first_due, gap_starts, gap_ends, count(*), count(*) FILTER (WHERE awaiting_review)
    FROM task_assignments
   WHERE task_id = ANY(task_ids) AND role <> 'cooperating'
   GROUP BY task_id, done, first_due, gap_starts, gap_ends;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Assignments added, taken off, or changed (a role, or the light inputs migration 0020's refresh
-- writes): their tasks' groups. An added assignment is counted with its defaults first (this
-- trigger's name sorts before 0020's), then again if 0020's refresh changes its inputs.
CREATE OR REPLACE FUNCTION task_light_groups_after_assignments() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_task_light_groups(array(SELECT DISTINCT task_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_task_light_groups(array(SELECT DISTINCT task_id FROM old_rows));
  ELSE
    PERFORM refresh_task_light_groups(array(SELECT task_id FROM new_rows UNION SELECT task_id FROM old_rows));
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER task_assignments_groups_insert AFTER INSERT ON task_assignments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_light_groups_after_assignments();
--> statement-breakpoint
CREATE TRIGGER task_assignments_groups_delete AFTER DELETE ON task_assignments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task_light_groups_after_assignments();
--> statement-breakpoint
CREATE TRIGGER task_assignments_groups_update AFTER UPDATE ON task_assignments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION task_light_groups_after_assignments();
--> statement-breakpoint
-- The chains of upper tasks of the tasks given and of every task below them (a link changed
-- anywhere on the way up changes the chain of everything beneath). A chain goes up only through
-- published (or archived) plans: a plan taken back to a draft passes nothing up. Twenty levels at
-- most: the links cannot loop (a plan cannot be its upper plan's upper plan), this bounds a mistake.
CREATE OR REPLACE FUNCTION refresh_upper_chains(task_ids integer[]) RETURNS void AS $$
BEGIN
  IF cardinality(task_ids) = 0 THEN RETURN; END IF;
  WITH RECURSIVE below(task_id, depth) AS (
    SELECT unnest(task_ids), 0
    UNION
    SELECT tl.task_id, b.depth + 1 FROM below b JOIN task_links tl ON tl.upper_task_id = b.task_id
     WHERE b.depth < 20
  ),
  affected AS (SELECT DISTINCT task_id FROM below),
  up(task_id, depth, upper_task_id, upper_plan_id) AS (
    SELECT a.task_id, 1, tl.upper_task_id, t.plan_id
      FROM affected a
      JOIN task_links tl ON tl.task_id = a.task_id
      JOIN tasks t ON t.id = tl.upper_task_id
      JOIN plans p ON p.id = t.plan_id AND p.status IN ('published', 'archived')
    UNION ALL
    SELECT up.task_id, up.depth + 1, tl.upper_task_id, t.plan_id
      FROM up
      JOIN task_links tl ON tl.task_id = up.upper_task_id
      JOIN tasks t ON t.id = tl.upper_task_id
      JOIN plans p ON p.id = t.plan_id AND p.status IN ('published', 'archived')
     WHERE up.depth < 20
  ),
  chains AS (
    SELECT task_id, array_agg(upper_task_id ORDER BY depth) AS task_chain,
           array_agg(upper_plan_id ORDER BY depth) AS plan_chain
      FROM up
     GROUP BY task_id
  )
  UPDATE tasks t
     SET upper_task_ids = coalesce(c.task_chain, '{}'), upper_plan_ids = coalesce(c.plan_chain, '{}')
    FROM affected a LEFT JOIN chains c ON c.task_id = a.task_id
   WHERE t.id = a.task_id
     AND (t.upper_task_ids, t.upper_plan_ids)
         IS DISTINCT FROM (coalesce(c.task_chain, '{}'), coalesce(c.plan_chain, '{}'));
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION upper_chains_after_task_links() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_upper_chains(array(SELECT task_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_upper_chains(array(SELECT task_id FROM old_rows));
  ELSE
    PERFORM refresh_upper_chains(array(SELECT task_id FROM new_rows UNION SELECT task_id FROM old_rows));
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER task_links_chains_insert AFTER INSERT ON task_links
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION upper_chains_after_task_links();
--> statement-breakpoint
CREATE TRIGGER task_links_chains_update AFTER UPDATE ON task_links
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION upper_chains_after_task_links();
--> statement-breakpoint
CREATE TRIGGER task_links_chains_delete AFTER DELETE ON task_links
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION upper_chains_after_task_links();
--> statement-breakpoint
-- A plan published, taken back to a draft or archived: the chains through its tasks.
CREATE OR REPLACE FUNCTION upper_chains_after_plans() RETURNS trigger AS $$
BEGIN
  PERFORM refresh_upper_chains(array(
    SELECT t.id FROM tasks t JOIN new_rows n ON n.id = t.plan_id JOIN old_rows o ON o.id = n.id
     WHERE n.status IS DISTINCT FROM o.status));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER plans_chains_update AFTER UPDATE ON plans
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION upper_chains_after_plans();
--> statement-breakpoint
-- What is there already: every task's groups, and the chains of every linked task.
SELECT refresh_task_light_groups(array(SELECT id FROM tasks));
--> statement-breakpoint
SELECT refresh_upper_chains(array(SELECT task_id FROM task_links));
