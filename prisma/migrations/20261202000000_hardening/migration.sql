-- TRUNCATE bypasses row triggers: refuse it too, so the audit log and case timelines stay append-only.
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_rewrite"();

CREATE TRIGGER "case_event_no_truncate" BEFORE TRUNCATE ON "case_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_rewrite"();

-- A proposal that may duplicate a target its proposer cannot see waits for an admin.
ALTER TYPE "TargetStatus" ADD VALUE 'held';
