-- Foundation: persons, contacts, pending registrations, one-time codes and links, sessions,
-- login throttling, outbox, jobs. Times are UTC set by the application clock (never DEFAULT now()).
CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    oid BIGINT NOT NULL UNIQUE,
    surname TEXT NOT NULL,
    name TEXT NOT NULL,
    patronymic TEXT,
    level TEXT NOT NULL CHECK (level IN ('simplified', 'standard', 'confirmed')),
    status TEXT NOT NULL CHECK (status IN ('REGISTERED', 'DELETED')),
    blocked BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT,
    snils TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY NOT NULL,
    esia_id BIGINT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('MBT', 'PHN', 'EML', 'CEM', 'CPH')),
    value TEXT NOT NULL,
    verified BOOLEAN NOT NULL,
    verifying_value TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX contacts_kind_value ON contacts (kind, value);
CREATE INDEX contacts_person ON contacts (person_id);

CREATE TABLE registrations (
    id TEXT PRIMARY KEY NOT NULL,
    surname TEXT NOT NULL,
    name TEXT NOT NULL,
    patronymic TEXT,
    phone TEXT,
    email TEXT,
    phone_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    email_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    completed_person_id TEXT REFERENCES persons(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE confirmation_codes (
    id TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('registration', 'recovery', 'contact_change')),
    subject_id TEXT NOT NULL,
    target TEXT NOT NULL,
    code TEXT NOT NULL,
    attempts_left INTEGER NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP,
    consumed_at TIMESTAMP
);
CREATE INDEX confirmation_codes_subject ON confirmation_codes (purpose, subject_id);

CREATE TABLE email_links (
    token TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('registration', 'recovery', 'password_step')),
    subject_id TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    sid TEXT NOT NULL UNIQUE,
    auth_method TEXT NOT NULL,
    auth_time TIMESTAMP NOT NULL,
    persistent BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE login_throttle (
    login_key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP
);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sms', 'email', 'letter')),
    recipient TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    code TEXT,
    link TEXT,
    person_id TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP,
    delivery_error TEXT
);
CREATE INDEX outbox_recipient ON outbox (recipient, created_at);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    run_at TIMESTAMP NOT NULL,
    locked_by TEXT,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_ready ON jobs (status, run_at);
