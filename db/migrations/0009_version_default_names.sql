ALTER TABLE "plan_version" ALTER COLUMN "name" DROP NOT NULL;
--> statement-breakpoint
-- A version nobody named used to be stored with an English name made of its kind and day ("Saved 3 December 2026",
-- "Put forward for agreement …", the older "Plan agreed …", "After our appointment on …", the demo's "After our
-- appointment"). Those are our words, not the person's: they become null, and pages name the version by its kind and
-- day in the reader's language. Versions are otherwise never changed (the trigger is off for this one update only).
ALTER TABLE "plan_version" DISABLE TRIGGER plan_version_no_update;
--> statement-breakpoint
UPDATE "plan_version" SET "name" = NULL
WHERE ("kind" = 'manual' AND "name" ~ '^Saved [0-9]{1,2} [A-Za-z]+ [0-9]{4}$')
	OR ("kind" = 'agreement' AND "name" ~ '^(Put forward for agreement|Plan agreed) [0-9]{1,2} [A-Za-z]+ [0-9]{4}$')
	OR ("kind" = 'appointment' AND "name" ~ '^After our appointment( on [0-9]{1,2} [A-Za-z]+ [0-9]{4})?$');
--> statement-breakpoint
ALTER TABLE "plan_version" ENABLE TRIGGER plan_version_no_update;
--> statement-breakpoint
-- Requests to agree kept a copy of that name: they keep the version's id and day instead.
UPDATE "notification" AS n
SET "params" = (n."params" - 'name') || jsonb_build_object('at', to_char(v."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
FROM "plan_version" AS v
WHERE n."kind" = 'agreement-requested' AND n."params" ->> 'versionId' = v."id"::text AND v."name" IS NULL;
