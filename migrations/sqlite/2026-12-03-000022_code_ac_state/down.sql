ALTER TABLE auth_codes DROP COLUMN ac_state;
