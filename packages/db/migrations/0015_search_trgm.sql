-- The global search (src/queries/search.ts) matches `ILIKE '%…%'` on task codes and titles, unit
-- names and report summaries; pg_trgm's GIN indexes serve those for queries of 3 characters and
-- more (shorter ones are still answered, by a scan). pg_trgm is a trusted extension (PostgreSQL 13+):
-- the database's owner may create it without being a superuser. PGlite loads it from
-- @electric-sql/pglite/contrib/pg_trgm (src/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX "progress_reports_summary_trgm_idx" ON "progress_reports" USING gin ("summary" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tasks_code_trgm_idx" ON "tasks" USING gin ("code" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tasks_title_trgm_idx" ON "tasks" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "units_name_trgm_idx" ON "units" USING gin ("name" gin_trgm_ops);