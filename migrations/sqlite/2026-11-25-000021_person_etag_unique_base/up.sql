-- A person's etag_version validates the /rs response cache together with its oid, so the same
-- oid must never meet the same version with other data: after a reset, a snapshot import or a
-- persona deleted and created again, counting from 0 again could repeat a version. Each new
-- person row therefore starts from a base drawn from a one-row counter that wipes never touch,
-- shifted so its own bumps (+1 each) never reach the next base.
CREATE TABLE persons_etag_base (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    last BIGINT NOT NULL
);
INSERT INTO persons_etag_base (id, last) VALUES (1, 0);

CREATE TRIGGER persons_etag_base AFTER INSERT ON persons
BEGIN
    UPDATE persons_etag_base SET last = last + 1 WHERE id = 1;
    UPDATE persons SET etag_version = (SELECT last FROM persons_etag_base WHERE id = 1) * 16777216
        WHERE id = NEW.id;
END;
