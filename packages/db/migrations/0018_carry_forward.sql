CREATE TYPE "public"."carry_kind" AS ENUM('continued', 'revisit');--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "carried_from_task_id" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "carry_kind" "carry_kind";--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_carried_from_task_id_tasks_id_fk" FOREIGN KEY ("carried_from_task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_carried_from_idx" ON "tasks" USING btree ("carried_from_task_id");