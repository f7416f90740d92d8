CREATE INDEX "audit_log_unsealed_idx" ON "audit_log" USING btree ("id") WHERE "audit_log"."seq" is null;--> statement-breakpoint
-- Rows are sealed after their transaction commits, in batches, instead of by a deferred trigger at
-- each commit: the trigger held one advisory lock through every audited commit's WAL flush, so
-- audited writes committed one at a time (report submissions over HTTP at county scale: 855/s
-- without it, 503-569/s with it). A row waits for its seal about a second (the API's sealer, and
-- every verification seals first); the chain's order is the order rows were sealed in.
DROP TRIGGER IF EXISTS "audit_log_chain" ON "audit_log";
--> statement-breakpoint
DROP FUNCTION IF EXISTS audit_log_seal();
--> statement-breakpoint
-- Seals up to max_rows committed, unsealed rows in the order they were written and returns how
-- many. When another session is sealing: 0 at once, or with wait, after it has finished. SECURITY DEFINER: the application's role needs
-- no UPDATE right on the audit log (audit_log_refuse_change lets only this one change through).
CREATE OR REPLACE FUNCTION audit_log_seal_pending(max_rows integer DEFAULT 5000, wait boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  last_seq bigint;
  last_hash text;
  r audit_log;
  n integer := 0;
BEGIN
  IF wait THEN
    PERFORM pg_advisory_xact_lock(20140101);
  ELSIF NOT pg_try_advisory_xact_lock(20140101) THEN
    RETURN 0;
  END IF;
  SELECT seq, hash INTO last_seq, last_hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  last_seq := coalesce(last_seq, 0);
  FOR r IN SELECT * FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT max_rows LOOP
    last_seq := last_seq + 1;
    r.seq := last_seq;
    r.hash := audit_log_digest(last_hash, r);
    UPDATE audit_log SET seq = r.seq, prev_hash = last_hash, hash = r.hash WHERE id = r.id;
    last_hash := r.hash;
    n := n + 1;
  END LOOP;
  RETURN n;
END;
$$;
--> statement-breakpoint
SELECT audit_log_seal_pending(2147483647);
