CREATE TYPE "public"."update_context" AS ENUM('joint', 'solo');--> statement-breakpoint
CREATE TABLE "plan_checkpoint" (
	"plan_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"state" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_checkpoint_plan_id_seq_pk" PRIMARY KEY("plan_id","seq")
);
--> statement-breakpoint
CREATE TABLE "plan_client" (
	"plan_id" uuid NOT NULL,
	"client_id" bigint NOT NULL,
	"user_id" uuid NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_client_plan_id_client_id_pk" PRIMARY KEY("plan_id","client_id")
);
--> statement-breakpoint
CREATE TABLE "plan_update" (
	"plan_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"user_id" uuid NOT NULL,
	"client_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"context" "update_context" NOT NULL,
	"update" "bytea" NOT NULL,
	CONSTRAINT "plan_update_plan_id_seq_pk" PRIMARY KEY("plan_id","seq")
);
--> statement-breakpoint
ALTER TABLE "plan_checkpoint" ADD CONSTRAINT "plan_checkpoint_plan_id_care_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."care_plan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_client" ADD CONSTRAINT "plan_client_plan_id_care_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."care_plan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_client" ADD CONSTRAINT "plan_client_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_update" ADD CONSTRAINT "plan_update_plan_id_care_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."care_plan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_update" ADD CONSTRAINT "plan_update_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_update_user_idx" ON "plan_update" USING btree ("plan_id","user_id");--> statement-breakpoint
-- History is never rewritten: a restore is a new change. Rows may only be added.
CREATE OR REPLACE FUNCTION plan_update_reject_change() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'plan_update is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER plan_update_no_update
	BEFORE UPDATE ON plan_update
	FOR EACH ROW EXECUTE FUNCTION plan_update_reject_change();
