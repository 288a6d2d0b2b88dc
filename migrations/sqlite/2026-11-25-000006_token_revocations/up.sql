-- Access tokens are self-contained JWTs; a replayed authorization code revokes the tokens of
-- its login (client + sid) issued up to the moment of the replay. /rs checks this table.
CREATE TABLE token_revocations (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL,
    sid TEXT NOT NULL,
    revoked_at TIMESTAMP NOT NULL
);
CREATE INDEX token_revocations_sid ON token_revocations (sid, client_id);
