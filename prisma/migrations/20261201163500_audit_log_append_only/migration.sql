-- The audit log is append-only at the database level: no path (the app, a script, an operator's SQL) may change or
-- remove an entry. One exception keeps accounts deletable: when a user is deleted, the foreign key's ON DELETE SET NULL
-- may clear "actorId" (and nothing else) of that user's entries; it runs inside the referential trigger, so
-- pg_trigger_depth() is above 1, whereas a direct UPDATE of the same column runs at depth 1 and is refused.
CREATE OR REPLACE FUNCTION gatehouse_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
    IF OLD."actorId" IS NOT NULL AND NEW."actorId" IS NULL
       AND NEW.id = OLD.id AND NEW.action = OLD.action AND NEW."targetType" = OLD."targetType"
       AND NEW."targetId" = OLD."targetId" AND NEW.data = OLD.data AND NEW."createdAt" = OLD."createdAt" THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'The audit log is append-only: % of an entry is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditLog_append_only"
  BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION gatehouse_audit_log_append_only();

CREATE TRIGGER "AuditLog_no_truncate"
  BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_audit_log_append_only();
