CREATE TABLE "appointment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"place" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"started_by" uuid,
	"ended_at" timestamp with time zone,
	"ended_by" uuid,
	"version_id" uuid
);
--> statement-breakpoint
CREATE TABLE "appointment_attendee" (
	"appointment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "appointment_attendee_appointment_id_user_id_pk" PRIMARY KEY("appointment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "plan_involvement" (
	"plan_id" uuid PRIMARY KEY NOT NULL,
	"through_seq" bigint NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"total_chars" integer NOT NULL,
	"service_user_chars" integer NOT NULL,
	"goals" integer NOT NULL,
	"own_words_goals" integer NOT NULL,
	"non_empty_sections" integer NOT NULL,
	"co_produced_sections" integer NOT NULL,
	"crisis_plan_written" boolean NOT NULL,
	"sections" jsonb NOT NULL,
	"service_user_last_edit_at" timestamp with time zone,
	"solo_session_ends" jsonb NOT NULL,
	"current_agreed_by_service_user" boolean NOT NULL,
	"service_user_agreed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_involvement_month" (
	"plan_id" uuid NOT NULL,
	"month" date NOT NULL,
	"total_chars" integer NOT NULL,
	"service_user_chars" integer NOT NULL,
	"solo_sessions" integer NOT NULL,
	CONSTRAINT "plan_involvement_month_plan_id_month_pk" PRIMARY KEY("plan_id","month")
);
--> statement-breakpoint
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_plan_id_care_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."care_plan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_started_by_user_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_ended_by_user_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_version_id_plan_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."plan_version"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_attendee" ADD CONSTRAINT "appointment_attendee_appointment_id_appointment_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_attendee" ADD CONSTRAINT "appointment_attendee_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_involvement" ADD CONSTRAINT "plan_involvement_plan_id_care_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."care_plan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_involvement_month" ADD CONSTRAINT "plan_involvement_month_plan_id_care_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."care_plan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointment_plan_idx" ON "appointment" USING btree ("plan_id","scheduled_for");