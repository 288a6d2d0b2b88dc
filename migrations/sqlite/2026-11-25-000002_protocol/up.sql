-- Protocol: client systems and their certificates, authorization requests in flight,
-- authorization codes, refresh tokens, remembered consents and the protocol journal.
-- Times are UTC set by the application clock (never DEFAULT now()).
CREATE TABLE client_systems (
    mnemonic TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    token_alg TEXT NOT NULL CHECK (token_alg IN ('RS256', 'GOST3410_2012_256')),
    mode TEXT NOT NULL CHECK (mode IN ('strict', 'lenient')),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE client_certificates (
    id TEXT PRIMARY KEY NOT NULL,
    mnemonic TEXT NOT NULL REFERENCES client_systems(mnemonic) ON DELETE CASCADE,
    pem TEXT NOT NULL,
    hash_hex TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX client_certificates_mnemonic ON client_certificates (mnemonic);

CREATE TABLE ac_requests (
    id TEXT PRIMARY KEY NOT NULL,
    mnemonic TEXT NOT NULL REFERENCES client_systems(mnemonic) ON DELETE CASCADE,
    generation TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    state TEXT NOT NULL,
    access_type TEXT NOT NULL,
    code_challenge TEXT,
    code_challenge_method TEXT,
    person_filter TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE auth_codes (
    code TEXT PRIMARY KEY NOT NULL,
    mnemonic TEXT NOT NULL REFERENCES client_systems(mnemonic) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    sid TEXT NOT NULL,
    auth_time TIMESTAMP NOT NULL,
    auth_method TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    access_type TEXT NOT NULL,
    code_challenge TEXT,
    code_challenge_method TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE refresh_tokens (
    token TEXT PRIMARY KEY NOT NULL,
    mnemonic TEXT NOT NULL REFERENCES client_systems(mnemonic) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    sid TEXT NOT NULL,
    auth_time TIMESTAMP NOT NULL,
    auth_method TEXT NOT NULL,
    scope TEXT NOT NULL,
    origin_code TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_origin ON refresh_tokens (origin_code);

CREATE TABLE consents (
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    mnemonic TEXT NOT NULL REFERENCES client_systems(mnemonic) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, mnemonic, scope)
);

CREATE TABLE journal (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL,
    endpoint TEXT NOT NULL,
    mnemonic TEXT,
    params TEXT NOT NULL,
    outcome TEXT NOT NULL,
    error_code TEXT,
    verification TEXT
);
CREATE INDEX journal_created ON journal (created_at);
