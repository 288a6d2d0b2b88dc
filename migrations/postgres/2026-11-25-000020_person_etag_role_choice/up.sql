-- Person eTags (esia-protocol §7.1) must change whenever the person's data change, from any
-- code path (cabinet, upgrade checks, seeds, another replica): every change of the person row or
-- of a row that belongs to the person bumps persons.etag_version, which feeds the person's eTag
-- and validates the /rs response cache. Role choice (§10): the parked authorization request
-- keeps the scope_org parameter and the role the person chose (P = private person, or an
-- organisation oid).
ALTER TABLE ac_requests ADD COLUMN scope_org TEXT;
ALTER TABLE ac_requests ADD COLUMN role TEXT;
ALTER TABLE persons ADD COLUMN etag_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION persons_etag_bump() RETURNS trigger AS $$
BEGIN
    IF NEW.etag_version = OLD.etag_version THEN
        NEW.etag_version := OLD.etag_version + 1;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER persons_etag_bump BEFORE UPDATE ON persons
    FOR EACH ROW EXECUTE FUNCTION persons_etag_bump();

CREATE FUNCTION person_part_etag_bump() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE persons SET etag_version = etag_version + 1 WHERE id = OLD.person_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE persons SET etag_version = etag_version + 1 WHERE id = NEW.person_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER contacts_etag AFTER INSERT OR UPDATE OR DELETE ON contacts
    FOR EACH ROW EXECUTE FUNCTION person_part_etag_bump();
CREATE TRIGGER documents_etag AFTER INSERT OR UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION person_part_etag_bump();
CREATE TRIGGER addresses_etag AFTER INSERT OR UPDATE OR DELETE ON addresses
    FOR EACH ROW EXECUTE FUNCTION person_part_etag_bump();
CREATE TRIGGER kids_etag AFTER INSERT OR UPDATE OR DELETE ON kids
    FOR EACH ROW EXECUTE FUNCTION person_part_etag_bump();
CREATE TRIGGER vehicles_etag AFTER INSERT OR UPDATE OR DELETE ON vehicles
    FOR EACH ROW EXECUTE FUNCTION person_part_etag_bump();
CREATE TRIGGER org_roles_etag AFTER INSERT OR UPDATE OR DELETE ON org_roles
    FOR EACH ROW EXECUTE FUNCTION person_part_etag_bump();
