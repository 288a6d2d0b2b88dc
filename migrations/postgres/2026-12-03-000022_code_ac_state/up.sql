-- The state of the ac request a code answers, so the token endpoint can recognise a redirect_uri
-- that carries the callback's own query (code and state: the OmniAuth variant, lenient only).
ALTER TABLE auth_codes ADD COLUMN ac_state TEXT;
