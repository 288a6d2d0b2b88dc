-- A person's etag_version validates the /rs response cache together with its oid, so the same
-- oid must never meet the same version with other data: after a reset, a snapshot import or a
-- persona deleted and created again, counting from 0 again could repeat a version. Each new
-- person row therefore starts from a base drawn from a counter that wipes never touch (a
-- sequence), shifted so its own bumps (+1 each) never reach the next base.
CREATE SEQUENCE persons_etag_base;

CREATE FUNCTION persons_etag_base() RETURNS trigger AS $$
BEGIN
    NEW.etag_version := nextval('persons_etag_base') * 16777216;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER persons_etag_base BEFORE INSERT ON persons
    FOR EACH ROW EXECUTE FUNCTION persons_etag_base();
