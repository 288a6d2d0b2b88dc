-- The journal also records who the request was about and what was answered: the persona's oid
-- (known at te from the code, at /rs and userinfo from the token), the HTTP status and a JSON
-- summary of the response (error code, token kinds issued — never token values).
ALTER TABLE journal ADD COLUMN persona_oid BIGINT;
ALTER TABLE journal ADD COLUMN http_status INTEGER;
ALTER TABLE journal ADD COLUMN response TEXT;
CREATE INDEX journal_persona ON journal (persona_oid, created_at);
CREATE INDEX journal_client ON journal (mnemonic, created_at);
