DROP TRIGGER IF EXISTS persons_etag_base;
DROP TABLE IF EXISTS persons_etag_base;
