CREATE TABLE "request_receipt" (
	"actor_id" uuid NOT NULL,
	"key" text NOT NULL,
	"scope" text NOT NULL,
	"answer" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_receipt_actor_id_key_scope_pk" PRIMARY KEY("actor_id","key","scope")
);
--> statement-breakpoint
ALTER TABLE "request_receipt" ADD CONSTRAINT "request_receipt_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;