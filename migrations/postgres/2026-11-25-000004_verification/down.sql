DROP TABLE identity_confirmations;
DROP TABLE post_letters;
DROP TABLE registry_people;
DROP TABLE verification_rules;
DROP TABLE verification_checks;
