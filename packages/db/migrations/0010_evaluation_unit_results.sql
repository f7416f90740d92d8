CREATE TABLE "evaluation_unit_results" (
	"project_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"complete" boolean NOT NULL,
	"vetoed" boolean NOT NULL,
	"total" double precision,
	"indicators" jsonb NOT NULL,
	"flagged" integer NOT NULL,
	"pending" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_unit_results_project_id_unit_id_pk" PRIMARY KEY("project_id","unit_id")
);
--> statement-breakpoint
ALTER TABLE "evaluation_units" ADD COLUMN "revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluation_unit_results" ADD CONSTRAINT "evaluation_unit_results_unit_fk" FOREIGN KEY ("project_id","unit_id") REFERENCES "public"."evaluation_units"("project_id","unit_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- A unit's kept result (evaluation_unit_results) is what the live ranking computed at the unit's
-- revision. Every change to what it is computed from — the unit's ratings, final scores and
-- assignments (submission included) — raises the revision of the units it touches, so a kept row
-- computed before no longer counts and the unit is computed again on the next view. Rows are
-- locked in key order first: two statements touching the same units take turns, not deadlock.
CREATE OR REPLACE FUNCTION evaluation_units_bump() RETURNS trigger AS $$
DECLARE
  projects integer[];
  units integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(project_id ORDER BY project_id, unit_id), array_agg(unit_id ORDER BY project_id, unit_id)
      INTO projects, units FROM (SELECT DISTINCT project_id, unit_id FROM new_rows) c;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(project_id ORDER BY project_id, unit_id), array_agg(unit_id ORDER BY project_id, unit_id)
      INTO projects, units FROM (SELECT DISTINCT project_id, unit_id FROM old_rows) c;
  ELSE
    SELECT array_agg(project_id ORDER BY project_id, unit_id), array_agg(unit_id ORDER BY project_id, unit_id)
      INTO projects, units
      FROM (SELECT project_id, unit_id FROM new_rows UNION SELECT project_id, unit_id FROM old_rows) c;
  END IF;
  IF projects IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM evaluation_units e
    JOIN unnest(projects, units) AS c(project_id, unit_id) ON e.project_id = c.project_id AND e.unit_id = c.unit_id
    ORDER BY e.project_id, e.unit_id FOR UPDATE OF e;
  UPDATE evaluation_units e SET revision = e.revision + 1
    FROM unnest(projects, units) AS c(project_id, unit_id)
    WHERE e.project_id = c.project_id AND e.unit_id = c.unit_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER evaluation_scores_bump_insert AFTER INSERT ON evaluation_scores
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
CREATE TRIGGER evaluation_scores_bump_update AFTER UPDATE ON evaluation_scores
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
CREATE TRIGGER evaluation_scores_bump_delete AFTER DELETE ON evaluation_scores
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
CREATE TRIGGER evaluation_final_scores_bump_insert AFTER INSERT ON evaluation_final_scores
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
CREATE TRIGGER evaluation_final_scores_bump_update AFTER UPDATE ON evaluation_final_scores
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
CREATE TRIGGER evaluation_final_scores_bump_delete AFTER DELETE ON evaluation_final_scores
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
CREATE TRIGGER evaluation_assignments_bump_insert AFTER INSERT ON evaluation_assignments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
CREATE TRIGGER evaluation_assignments_bump_update AFTER UPDATE ON evaluation_assignments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
CREATE TRIGGER evaluation_assignments_bump_delete AFTER DELETE ON evaluation_assignments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION evaluation_units_bump();
--> statement-breakpoint
-- New rules or a new threshold compute every unit of the project again.
CREATE OR REPLACE FUNCTION evaluation_units_bump_project() RETURNS trigger AS $$
BEGIN
  UPDATE evaluation_units SET revision = revision + 1 WHERE project_id = NEW.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER evaluation_projects_bump_units AFTER UPDATE OF indicator_system, disagreement_threshold ON evaluation_projects
  FOR EACH ROW WHEN (OLD.indicator_system IS DISTINCT FROM NEW.indicator_system
    OR OLD.disagreement_threshold IS DISTINCT FROM NEW.disagreement_threshold)
  EXECUTE FUNCTION evaluation_units_bump_project();
