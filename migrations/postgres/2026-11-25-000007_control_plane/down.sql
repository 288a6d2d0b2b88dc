DROP TABLE client_controls;
DROP TABLE control_settings;
DROP TABLE fault_rules;
