DROP INDEX journal_client;
DROP INDEX journal_persona;
ALTER TABLE journal DROP COLUMN response;
ALTER TABLE journal DROP COLUMN http_status;
ALTER TABLE journal DROP COLUMN persona_oid;
