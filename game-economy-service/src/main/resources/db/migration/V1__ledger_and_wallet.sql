-- The ledger is the source of truth: every change to a player's currencies or items is an
-- event in that player's stream. A player's rows live together (keyed by player_id) so that a
-- shard router can later move them as one.
CREATE TABLE ledger_event
(
  player_id   UUID        NOT NULL,
  sequence    BIGINT      NOT NULL,
  event_id    UUID        NOT NULL UNIQUE,
  type        TEXT        NOT NULL,
  payload     JSONB       NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (player_id, sequence)
);

-- Projection of the ledger, updated in the same transaction as each append.
CREATE TABLE wallet
(
  player_id     UUID   PRIMARY KEY,
  gold          BIGINT NOT NULL CHECK (gold >= 0),
  gem           BIGINT NOT NULL CHECK (gem >= 0),
  held_gold     BIGINT NOT NULL DEFAULT 0 CHECK (held_gold >= 0),
  held_gem      BIGINT NOT NULL DEFAULT 0 CHECK (held_gem >= 0),
  last_sequence BIGINT NOT NULL,
  version       BIGINT NOT NULL DEFAULT 0
);
