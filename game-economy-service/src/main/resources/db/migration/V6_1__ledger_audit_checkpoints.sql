-- The incremental ledger audit. Per player: the state its last run folded the ledger up to, and
-- the wallet it then found (so a wallet changed without a ledger event is re-checked too). Per
-- shard: the supply flows of every event folded so far, by asset and kind. The next run folds
-- only the events after each checkpoint.
CREATE TABLE ledger_audit_checkpoint
(
  player_id UUID        PRIMARY KEY,
  sequence  BIGINT      NOT NULL,
  gold      BIGINT      NOT NULL,
  gem       BIGINT      NOT NULL,
  held_gold BIGINT      NOT NULL,
  held_gem  BIGINT      NOT NULL,
  state     JSONB       NOT NULL,
  taken_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE ledger_audit_flow
(
  asset  TEXT   NOT NULL,
  kind   TEXT   NOT NULL,
  amount BIGINT NOT NULL,
  PRIMARY KEY (asset, kind)
);
