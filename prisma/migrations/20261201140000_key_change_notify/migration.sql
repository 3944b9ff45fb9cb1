-- Every change that can affect whether an API key may call, or with which scopes, is announced on the channel
-- "gatehouse_keys" by the database itself, so each server process drops its cached copy within moments, whichever
-- path made the change (the app, a script, an operator's SQL). Payload: "grant:<id>" or "org:<id>".
CREATE OR REPLACE FUNCTION gatehouse_notify_key_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  subject text;
BEGIN
  IF TG_TABLE_NAME = 'ApiKey' THEN
    subject := 'grant:' || COALESCE(NEW."grantId", OLD."grantId");
    IF TG_OP = 'UPDATE' AND NEW."grantId" IS DISTINCT FROM OLD."grantId" THEN
      PERFORM pg_notify('gatehouse_keys', 'grant:' || OLD."grantId");
    END IF;
  ELSIF TG_TABLE_NAME = 'KeyGrant' THEN
    subject := 'grant:' || COALESCE(NEW.id, OLD.id);
  ELSE
    subject := 'org:' || COALESCE(NEW.id, OLD.id);
  END IF;
  PERFORM pg_notify('gatehouse_keys', subject);
  RETURN NULL;
END;
$$;

-- lastUsedAt and names change often and do not matter to the gateway: only the columns it reads trigger.
CREATE TRIGGER "ApiKey_notify_key_change"
  AFTER INSERT OR DELETE OR UPDATE OF "hash", "grantId", "organizationId", "suspendedAt", "revokedAt", "graceUntil" ON "ApiKey"
  FOR EACH ROW EXECUTE FUNCTION gatehouse_notify_key_change();

CREATE TRIGGER "KeyGrant_notify_key_change"
  AFTER DELETE OR UPDATE OF "scopes", "revokedAt", "organizationId" ON "KeyGrant"
  FOR EACH ROW EXECUTE FUNCTION gatehouse_notify_key_change();

CREATE TRIGGER "Organization_notify_key_change"
  AFTER DELETE OR UPDATE OF "suspendedAt" ON "Organization"
  FOR EACH ROW EXECUTE FUNCTION gatehouse_notify_key_change();
