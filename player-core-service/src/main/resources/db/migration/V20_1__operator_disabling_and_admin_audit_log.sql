-- Who disabled an operator and why (disabled_at came with V20).
ALTER TABLE operator ADD COLUMN disabled_by TEXT, ADD COLUMN disabled_reason TEXT;

-- Every operator action player-core carries out, naming the operator (the token's subject):
-- bans and lifts (subject: the player id) and operator accounts created or disabled (subject:
-- operator:<name>). Written in the action's transaction.
CREATE TABLE admin_audit_log
(
  id       BIGSERIAL   PRIMARY KEY,
  admin_id TEXT        NOT NULL,
  subject  TEXT        NOT NULL,
  action   TEXT        NOT NULL,
  reason   TEXT,
  until    TIMESTAMPTZ,
  at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX admin_audit_log_by_subject ON admin_audit_log (subject, at);
