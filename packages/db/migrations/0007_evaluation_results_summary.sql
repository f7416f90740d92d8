ALTER TABLE "evaluation_results" ADD COLUMN "summary" jsonb;
--> statement-breakpoint
-- The versions published before: their summary is their results with the first-level indicators
-- only (the indicator list, and each unit's scores), units in the same order.
UPDATE "evaluation_results" r SET "summary" = jsonb_set(
  jsonb_set(r.results, '{indicators}', coalesce((
    SELECT jsonb_agg(i ORDER BY n) FROM jsonb_array_elements(r.results -> 'indicators') WITH ORDINALITY x(i, n)
    WHERE (i ->> 'level')::int = 1), '[]'::jsonb)),
  '{units}', coalesce((
    SELECT jsonb_agg(jsonb_set(u, '{indicators}', coalesce((
      SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(u -> 'indicators') e
      WHERE e.key IN (
        SELECT i ->> 'code' FROM jsonb_array_elements(r.results -> 'indicators') i
        WHERE (i ->> 'level')::int = 1)), '{}'::jsonb)) ORDER BY n)
    FROM jsonb_array_elements(r.results -> 'units') WITH ORDINALITY x(u, n)), '[]'::jsonb));
--> statement-breakpoint
ALTER TABLE "evaluation_results" ALTER COLUMN "summary" SET NOT NULL;
