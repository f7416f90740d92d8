CREATE TABLE "import_requests" (
	"key" text PRIMARY KEY NOT NULL,
	"user_id" integer,
	"plan_ids" integer[] DEFAULT '{}' NOT NULL,
	"units_created" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_requests" ADD CONSTRAINT "import_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;