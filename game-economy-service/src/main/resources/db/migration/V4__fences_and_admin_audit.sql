-- The highest authority lease epoch verified (or announced by AuthorityChanged) per player, and
-- the server holding it. Game-server writes with a lower epoch, or the same epoch from another
-- server, are refused. server_id is NULL when only a release was heard at that epoch.
CREATE TABLE authority_fence
(
  player_id  UUID        PRIMARY KEY,
  epoch      BIGINT      NOT NULL CHECK (epoch >= 0),
  server_id  TEXT,
  updated_at TIMESTAMPTZ NOT NULL
);

-- Every operator change to a player's economy, written in the transaction of its ledger event.
CREATE TABLE admin_audit_log
(
  id              BIGSERIAL   PRIMARY KEY,
  admin_id        TEXT        NOT NULL,
  player_id       UUID        NOT NULL,
  action          TEXT        NOT NULL,
  reason          TEXT        NOT NULL,
  payload         JSONB       NOT NULL,
  ledger_sequence BIGINT      NOT NULL,
  at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX admin_audit_log_by_player ON admin_audit_log (player_id, at);
