ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "must_change_password" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_secret" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "demo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_idx" ON "audit_log" USING btree ("seq");--> statement-breakpoint
-- The audit log's hash chain. A row's digest covers the previous row's hash and every field of its
-- own; `seq` is its place in the chain. Rows are sealed as their transaction commits (a deferred
-- trigger under one advisory lock, held only for the commit), so the chain follows commit order and
-- no writer waits on another for longer than a commit.
CREATE OR REPLACE FUNCTION audit_log_digest(prev text, r audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws(E'\x1f',
    coalesce(prev, '-'), r.seq::text, r.id::text,
    to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(r.actor_id::text, '-'), r.action, r.entity_type, r.entity_id,
    coalesce(r.before::text, '-'), coalesce(r.after::text, '-'), coalesce(r.region_code, '-')
  ), 'UTF8')), 'hex')
$$;
--> statement-breakpoint
-- Sealing is the one UPDATE the append-only rule lets through: hash columns set once, nothing else changed.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND OLD.seq IS NULL AND NEW.hash IS NOT NULL
     AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type, NEW.entity_id, NEW.before, NEW.after, NEW.region_code)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.entity_type, OLD.entity_id, OLD.before, OLD.after, OLD.region_code) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- SECURITY DEFINER: the application's role needs no UPDATE right on the audit log to seal it.
CREATE OR REPLACE FUNCTION audit_log_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  last_seq bigint;
  last_hash text;
  r audit_log;
BEGIN
  PERFORM pg_advisory_xact_lock(20140101);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  SELECT * INTO r FROM audit_log WHERE id = NEW.id;
  r.seq := coalesce(last_seq, 0) + 1;
  UPDATE audit_log SET seq = r.seq, prev_hash = last_hash, hash = audit_log_digest(last_hash, r) WHERE id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_log_chain AFTER INSERT ON audit_log
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_log_seal();
--> statement-breakpoint
-- Rows written before the chain existed are sealed in the order they were written.
DO $$
DECLARE
  r audit_log;
  last_hash text;
  n bigint := 0;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    n := n + 1;
    r.seq := n;
    UPDATE audit_log SET seq = n, prev_hash = last_hash, hash = audit_log_digest(last_hash, r) WHERE id = r.id;
    SELECT hash INTO last_hash FROM audit_log WHERE id = r.id;
  END LOOP;
END $$;
--> statement-breakpoint
-- Existing accounts keep their passwords; their age counts from now.
UPDATE users SET password_changed_at = now();
