CREATE TYPE "public"."invitation_revoked_reason" AS ENUM('replaced', 'other_link_used', 'cancelled');--> statement-breakpoint
CREATE TABLE "sign_in_attempt" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	"ip" text,
	"succeeded" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "replaced_password" boolean;--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "used_session_id" text;--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "revoked_reason" "invitation_revoked_reason";--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "notice_dismissed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sign_in_attempt" ADD CONSTRAINT "sign_in_attempt_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sign_in_attempt_user_idx" ON "sign_in_attempt" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "sign_in_attempt_ip_idx" ON "sign_in_attempt" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "sign_in_attempt_at_idx" ON "sign_in_attempt" USING btree ("at");--> statement-breakpoint
CREATE INDEX "invitation_user_idx" ON "invitation" USING btree ("user_id","created_at");--> statement-breakpoint
-- Links used before this migration are not announced again (their use is in the audit trail), and of the open
-- links of one account only the newest keeps working, as for links made from now on.
UPDATE "invitation" SET "notice_dismissed_at" = "used_at" WHERE "used_at" IS NOT NULL;--> statement-breakpoint
UPDATE "invitation" AS "older" SET "revoked_at" = now(), "revoked_reason" = 'replaced'
WHERE "older"."used_at" IS NULL AND "older"."user_id" IS NOT NULL AND EXISTS (
	SELECT 1 FROM "invitation" AS "newer"
	WHERE "newer"."user_id" = "older"."user_id" AND "newer"."used_at" IS NULL AND "newer"."created_at" > "older"."created_at"
);
