ALTER TABLE "evidence" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "report_reviews" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "report_revisions" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "region_code" text;