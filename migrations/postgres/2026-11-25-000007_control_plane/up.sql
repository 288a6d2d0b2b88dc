-- The QA control plane shared by every replica and the worker: fault rules (with the count of
-- requests left, decremented atomically so replicas share it), process-wide settings such as
-- the emulator clock (a stamp tells processes a setting changed), and per-client controls for
-- zero-click login (an emulator extension, not ESIA behaviour).
CREATE TABLE fault_rules (
    id TEXT PRIMARY KEY NOT NULL,
    endpoint TEXT,
    client_id TEXT,
    persona_oid BIGINT,
    remaining BIGINT,
    fired BIGINT NOT NULL DEFAULT 0,
    effect TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX fault_rules_created ON fault_rules (created_at);

CREATE TABLE control_settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    stamp TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE client_controls (
    mnemonic TEXT PRIMARY KEY NOT NULL REFERENCES client_systems(mnemonic) ON DELETE CASCADE,
    zero_click BOOLEAN NOT NULL DEFAULT FALSE,
    next_login TEXT,
    updated_at TIMESTAMP NOT NULL
);
