DROP TABLE journal;
DROP TABLE consents;
DROP TABLE refresh_tokens;
DROP TABLE auth_codes;
DROP TABLE ac_requests;
DROP TABLE client_certificates;
DROP TABLE client_systems;
