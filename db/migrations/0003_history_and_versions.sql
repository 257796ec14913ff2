CREATE TYPE "public"."plan_version_kind" AS ENUM('agreement', 'appointment', 'manual');--> statement-breakpoint
CREATE TYPE "public"."sign_off_decision" AS ENUM('agree', 'disagree');--> statement-breakpoint
CREATE TABLE "plan_sign_off" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"version_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"decision" "sign_off_decision" NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_version" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"kind" "plan_version_kind" NOT NULL,
	"name" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_update" ADD COLUMN "summary" jsonb;--> statement-breakpoint
ALTER TABLE "plan_sign_off" ADD CONSTRAINT "plan_sign_off_version_id_plan_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."plan_version"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_sign_off" ADD CONSTRAINT "plan_sign_off_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_version" ADD CONSTRAINT "plan_version_plan_id_care_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."care_plan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_version" ADD CONSTRAINT "plan_version_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_sign_off_version_idx" ON "plan_sign_off" USING btree ("version_id","at");--> statement-breakpoint
CREATE INDEX "plan_version_plan_idx" ON "plan_version" USING btree ("plan_id","created_at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION reject_row_change() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION '% rows are never changed once written: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER plan_version_no_update
	BEFORE UPDATE ON plan_version
	FOR EACH ROW EXECUTE FUNCTION reject_row_change();
--> statement-breakpoint
CREATE TRIGGER plan_sign_off_no_update
	BEFORE UPDATE ON plan_sign_off
	FOR EACH ROW EXECUTE FUNCTION reject_row_change();
