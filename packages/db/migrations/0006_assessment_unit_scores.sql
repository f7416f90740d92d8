CREATE TABLE "assessment_unit_scores" (
	"scheme_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"complete" boolean NOT NULL,
	"missing" text[] NOT NULL,
	"vetoed" boolean NOT NULL,
	"vetoed_by" text[] NOT NULL,
	"base" double precision NOT NULL,
	"bonus" double precision NOT NULL,
	"bonus_earned" double precision NOT NULL,
	"total" double precision,
	"partial_total" double precision NOT NULL,
	"indicators" jsonb NOT NULL,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_unit_scores_scheme_id_unit_id_pk" PRIMARY KEY("scheme_id","unit_id")
);
--> statement-breakpoint
ALTER TABLE "assessment_unit_scores" ADD CONSTRAINT "assessment_unit_scores_scheme_id_assessment_schemes_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "public"."assessment_schemes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_unit_scores" ADD CONSTRAINT "assessment_unit_scores_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
-- A unit's kept score is written with the values it comes from (queries/assessment/unitScores.ts).
-- A change to a final or computed value by any other path deletes the unit's kept row, so the
-- results score that unit from its values instead of showing a stale score. Self-assessment
-- columns do not count and change nothing here.
CREATE OR REPLACE FUNCTION assessment_unit_scores_forget() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    DELETE FROM assessment_unit_scores k USING (
      SELECT DISTINCT scheme_id, unit_id FROM new_rows
      WHERE final_value IS NOT NULL OR computed_value IS NOT NULL
    ) c WHERE k.scheme_id = c.scheme_id AND k.unit_id = c.unit_id;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM assessment_unit_scores k USING (
      SELECT DISTINCT scheme_id, unit_id FROM old_rows
      WHERE final_value IS NOT NULL OR computed_value IS NOT NULL
    ) c WHERE k.scheme_id = c.scheme_id AND k.unit_id = c.unit_id;
  ELSE
    DELETE FROM assessment_unit_scores k USING (
      SELECT n.scheme_id, n.unit_id FROM new_rows n WHERE NOT EXISTS (
        SELECT 1 FROM old_rows o
        WHERE o.scheme_id = n.scheme_id AND o.unit_id = n.unit_id AND o.indicator_code = n.indicator_code
          AND o.final_value IS NOT DISTINCT FROM n.final_value
          AND o.computed_value IS NOT DISTINCT FROM n.computed_value)
      UNION
      SELECT o.scheme_id, o.unit_id FROM old_rows o WHERE NOT EXISTS (
        SELECT 1 FROM new_rows n
        WHERE o.scheme_id = n.scheme_id AND o.unit_id = n.unit_id AND o.indicator_code = n.indicator_code
          AND o.final_value IS NOT DISTINCT FROM n.final_value
          AND o.computed_value IS NOT DISTINCT FROM n.computed_value)
    ) c WHERE k.scheme_id = c.scheme_id AND k.unit_id = c.unit_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER assessment_scores_forget_insert AFTER INSERT ON assessment_scores
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assessment_unit_scores_forget();
--> statement-breakpoint
CREATE TRIGGER assessment_scores_forget_update AFTER UPDATE ON assessment_scores
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assessment_unit_scores_forget();
--> statement-breakpoint
CREATE TRIGGER assessment_scores_forget_delete AFTER DELETE ON assessment_scores
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assessment_unit_scores_forget();
--> statement-breakpoint
-- New rules score every unit anew: the kept scores of a scheme whose definition changes go.
CREATE OR REPLACE FUNCTION assessment_unit_scores_forget_scheme() RETURNS trigger AS $$
BEGIN
  DELETE FROM assessment_unit_scores WHERE scheme_id = NEW.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER assessment_schemes_forget_scores AFTER UPDATE OF definition ON assessment_schemes
  FOR EACH ROW WHEN (OLD.definition IS DISTINCT FROM NEW.definition)
  EXECUTE FUNCTION assessment_unit_scores_forget_scheme();
