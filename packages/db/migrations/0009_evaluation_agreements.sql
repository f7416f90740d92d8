CREATE TABLE "evaluation_agreements" (
	"project_id" integer PRIMARY KEY NOT NULL,
	"basis" text NOT NULL,
	"report" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evaluation_agreements" ADD CONSTRAINT "evaluation_agreements_project_id_evaluation_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."evaluation_projects"("id") ON DELETE cascade ON UPDATE no action;