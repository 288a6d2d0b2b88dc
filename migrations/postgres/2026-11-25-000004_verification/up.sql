-- Account upgrade and identity confirmation (account-lifecycle §5–§6): the government checks of a
-- verification request, QA rules that force their outcomes, the simulated registry of "real"
-- people the agencies compare against, ordered Russian Post letters and a confirmation log.
CREATE TABLE verification_checks (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('snils', 'passport', 'inn')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'passed', 'failed', 'cancelled')),
    reason TEXT,
    job_id TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX verification_checks_person ON verification_checks (person_id, created_at);

CREATE TABLE verification_rules (
    id TEXT PRIMARY KEY NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('snils', 'passport', 'inn', 'surname')),
    pattern TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'not_found', 'data_mismatch', 'passport_invalid', 'rejected', 'unavailable', 'hang')),
    delay_secs BIGINT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE registry_people (
    id TEXT PRIMARY KEY NOT NULL,
    surname TEXT NOT NULL,
    name TEXT NOT NULL,
    patronymic TEXT,
    gender TEXT NOT NULL CHECK (gender IN ('M', 'F')),
    birth_date DATE NOT NULL,
    snils TEXT UNIQUE,
    passport TEXT UNIQUE,
    passport_valid BOOLEAN NOT NULL,
    inn TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE post_letters (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('ordered', 'delivered', 'used')),
    code TEXT,
    attempts_left INTEGER NOT NULL,
    expires_at TIMESTAMP,
    ordered_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX post_letters_person ON post_letters (person_id, ordered_at);

CREATE TABLE identity_confirmations (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX identity_confirmations_person ON identity_confirmations (person_id);
