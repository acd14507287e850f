-- Housekeeping deletes by age: these let it find old rows without reading the tables.
CREATE INDEX login_throttle_window ON login_throttle (window_started_at);
CREATE INDEX refresh_token_expiry ON refresh_token (expires_at);
