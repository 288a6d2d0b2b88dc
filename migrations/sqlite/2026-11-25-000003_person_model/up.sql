-- The person model of esia-protocol §7 and account-lifecycle §5–§7: personal data on persons,
-- documents (also of kids), addresses, kids, vehicles, organisations and roles in them.
ALTER TABLE persons ADD COLUMN gender TEXT CHECK (gender IN ('M', 'F'));
ALTER TABLE persons ADD COLUMN birth_date DATE;
ALTER TABLE persons ADD COLUMN birth_place TEXT;
ALTER TABLE persons ADD COLUMN citizenship TEXT;
ALTER TABLE persons ADD COLUMN inn TEXT;
ALTER TABLE persons ADD COLUMN verification TEXT NOT NULL DEFAULT 'none' CHECK (verification IN ('none', 'verifying', 'failed'));
ALTER TABLE persons ADD COLUMN verification_note TEXT;

CREATE TABLE kids (
    id TEXT PRIMARY KEY NOT NULL,
    esia_id BIGINT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    surname TEXT NOT NULL,
    name TEXT NOT NULL,
    patronymic TEXT,
    birth_date DATE,
    gender TEXT CHECK (gender IN ('M', 'F')),
    snils TEXT,
    inn TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX kids_person ON kids (person_id);

CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL,
    esia_id BIGINT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    kid_id TEXT REFERENCES kids(id) ON DELETE CASCADE,
    doc_type TEXT NOT NULL,
    series TEXT,
    number TEXT,
    issue_date DATE,
    issue_id TEXT,
    issued_by TEXT,
    expiry_date DATE,
    act_no TEXT,
    act_date DATE,
    first_name TEXT,
    last_name TEXT,
    vrf_stu TEXT NOT NULL CHECK (vrf_stu IN ('VERIFIED', 'NOT_VERIFIED')),
    vrf_val_stu TEXT CHECK (vrf_val_stu IN ('VERIFYING', 'VERIFICATION_FAILED')),
    fms_valid BOOLEAN,
    fms_state TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX documents_person ON documents (person_id);

CREATE TABLE addresses (
    id TEXT PRIMARY KEY NOT NULL,
    esia_id BIGINT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    addr_type TEXT NOT NULL CHECK (addr_type IN ('PRG', 'PLV')),
    address_str TEXT NOT NULL,
    fias_code TEXT,
    country_id TEXT NOT NULL,
    zip_code TEXT,
    region TEXT,
    district TEXT,
    area TEXT,
    city TEXT,
    settlement TEXT,
    street TEXT,
    house TEXT,
    building TEXT,
    frame TEXT,
    flat TEXT,
    addition_area TEXT,
    addition_area_street TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX addresses_person ON addresses (person_id);

CREATE TABLE vehicles (
    id TEXT PRIMARY KEY NOT NULL,
    esia_id BIGINT NOT NULL UNIQUE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    name TEXT,
    number_plate TEXT NOT NULL,
    reg_cert_series TEXT,
    reg_cert_number TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX vehicles_person ON vehicles (person_id);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    oid BIGINT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    ogrn TEXT NOT NULL,
    inn TEXT NOT NULL,
    kpp TEXT,
    org_type TEXT NOT NULL CHECK (org_type IN ('LEGAL', 'BUSINESS', 'AGENCY')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE org_roles (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    chief BOOLEAN NOT NULL,
    admin BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX org_roles_member ON org_roles (org_id, person_id);
