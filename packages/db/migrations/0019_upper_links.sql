CREATE TABLE "plan_links" (
	"plan_id" integer NOT NULL,
	"upper_plan_id" integer NOT NULL,
	"cited_as" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"region_code" text,
	CONSTRAINT "plan_links_plan_id_upper_plan_id_pk" PRIMARY KEY("plan_id","upper_plan_id"),
	CONSTRAINT "plan_links_not_self" CHECK ("plan_links"."plan_id" <> "plan_links"."upper_plan_id")
);
--> statement-breakpoint
CREATE TABLE "task_links" (
	"task_id" integer PRIMARY KEY NOT NULL,
	"upper_task_id" integer,
	"decided_by" integer,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"region_code" text
);
--> statement-breakpoint
ALTER TABLE "plans" DROP CONSTRAINT "plans_parent_plan_id_plans_id_fk";
--> statement-breakpoint
ALTER TABLE "plan_links" ADD CONSTRAINT "plan_links_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_links" ADD CONSTRAINT "plan_links_upper_plan_id_plans_id_fk" FOREIGN KEY ("upper_plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_links" ADD CONSTRAINT "plan_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_links" ADD CONSTRAINT "task_links_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_links" ADD CONSTRAINT "task_links_upper_task_id_tasks_id_fk" FOREIGN KEY ("upper_task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_links" ADD CONSTRAINT "task_links_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_links_upper_idx" ON "plan_links" USING btree ("upper_plan_id");--> statement-breakpoint
CREATE INDEX "task_links_upper_idx" ON "task_links" USING btree ("upper_task_id");--> statement-breakpoint
-- The one upper plan a plan could name before becomes its first link.
INSERT INTO "plan_links" ("plan_id", "upper_plan_id", "region_code") SELECT "id", "parent_plan_id", "region_code" FROM "plans" WHERE "parent_plan_id" IS NOT NULL AND "parent_plan_id" <> "id";--> statement-breakpoint
ALTER TABLE "plans" DROP COLUMN "parent_plan_id";