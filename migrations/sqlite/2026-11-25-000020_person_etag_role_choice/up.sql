-- Person eTags (esia-protocol §7.1) must change whenever the person's data change, from any
-- code path (cabinet, upgrade checks, seeds, another replica): every change of the person row or
-- of a row that belongs to the person bumps persons.etag_version, which feeds the person's eTag
-- and validates the /rs response cache. Role choice (§10): the parked authorization request
-- keeps the scope_org parameter and the role the person chose (P = private person, or an
-- organisation oid).
ALTER TABLE ac_requests ADD COLUMN scope_org TEXT;
ALTER TABLE ac_requests ADD COLUMN role TEXT;
ALTER TABLE persons ADD COLUMN etag_version BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER persons_etag_bump AFTER UPDATE ON persons
WHEN NEW.etag_version = OLD.etag_version
BEGIN
    UPDATE persons SET etag_version = OLD.etag_version + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER contacts_etag_ins AFTER INSERT ON contacts
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = NEW.person_id;
END;
CREATE TRIGGER contacts_etag_upd AFTER UPDATE ON contacts
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER contacts_etag_del AFTER DELETE ON contacts
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER documents_etag_ins AFTER INSERT ON documents
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = NEW.person_id;
END;
CREATE TRIGGER documents_etag_upd AFTER UPDATE ON documents
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER documents_etag_del AFTER DELETE ON documents
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER addresses_etag_ins AFTER INSERT ON addresses
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = NEW.person_id;
END;
CREATE TRIGGER addresses_etag_upd AFTER UPDATE ON addresses
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER addresses_etag_del AFTER DELETE ON addresses
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER kids_etag_ins AFTER INSERT ON kids
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = NEW.person_id;
END;
CREATE TRIGGER kids_etag_upd AFTER UPDATE ON kids
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER kids_etag_del AFTER DELETE ON kids
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER vehicles_etag_ins AFTER INSERT ON vehicles
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = NEW.person_id;
END;
CREATE TRIGGER vehicles_etag_upd AFTER UPDATE ON vehicles
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER vehicles_etag_del AFTER DELETE ON vehicles
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = OLD.person_id;
END;

CREATE TRIGGER org_roles_etag_ins AFTER INSERT ON org_roles
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = NEW.person_id;
END;
CREATE TRIGGER org_roles_etag_upd AFTER UPDATE ON org_roles
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER org_roles_etag_del AFTER DELETE ON org_roles
BEGIN
    UPDATE persons SET etag_version = etag_version + 1 WHERE id = OLD.person_id;
END;
