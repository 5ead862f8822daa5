-- The audit log and case timelines are append-only: no code path updates or deletes them, and the
-- database refuses it too, whoever asks.
CREATE FUNCTION "refuse_rewrite"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "refuse_rewrite"();

CREATE TRIGGER "case_event_append_only" BEFORE UPDATE OR DELETE ON "case_event"
  FOR EACH ROW EXECUTE FUNCTION "refuse_rewrite"();
