CREATE TABLE "light_days" (
	"plan_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"day" date NOT NULL,
	"due_soon_working_days" integer NOT NULL,
	"done" integer NOT NULL,
	"on_track" integer NOT NULL,
	"due_soon" integer NOT NULL,
	"overdue" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "light_days_plan_id_unit_id_due_soon_working_days_day_pk" PRIMARY KEY("plan_id","unit_id","due_soon_working_days","day")
);
--> statement-breakpoint
ALTER TABLE "light_days" ADD CONSTRAINT "light_days_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;