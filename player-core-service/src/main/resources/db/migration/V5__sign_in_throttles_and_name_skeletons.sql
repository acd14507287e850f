-- The throttle now counts per (username, address), per username and per client id: one key column.
ALTER TABLE login_throttle RENAME COLUMN username_ci TO throttle_key;

-- Addresses that have signed in to an account (or a client id) before: the per-account ceiling
-- does not apply to them, so an attacker failing on purpose cannot lock the owner out. The address
-- is stored as a SHA-256 digest, not in clear.
CREATE TABLE sign_in_address
(
  principal_key   TEXT        NOT NULL,
  address_hash    TEXT        NOT NULL,
  last_success_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (principal_key, address_hash)
);
CREATE INDEX sign_in_address_last_success ON sign_in_address (last_success_at);

-- The UTS #39 confusable skeleton of the display name; filled for existing players and made
-- unique by V6 (Java: the skeleton is ICU's, not SQL's).
ALTER TABLE player ADD COLUMN display_name_skeleton TEXT;
