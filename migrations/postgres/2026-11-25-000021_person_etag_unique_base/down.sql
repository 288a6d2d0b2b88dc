DROP TRIGGER IF EXISTS persons_etag_base ON persons;
DROP FUNCTION IF EXISTS persons_etag_base();
DROP SEQUENCE IF EXISTS persons_etag_base;
