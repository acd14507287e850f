-- What the economy knows of a player's account for the new-account trade restriction: when it was
-- registered and its level, from PlayerRegistered and PlayerLeveledUp. Players whose wallets
-- predate this table count from their first ledger event (the starter grant) at level 1.
CREATE TABLE trader_standing
(
  player_id     UUID        PRIMARY KEY,
  registered_at TIMESTAMPTZ NOT NULL,
  level         INT         NOT NULL
);

INSERT INTO trader_standing (player_id, registered_at, level)
SELECT player_id, min(occurred_at), 1 FROM ledger_event GROUP BY player_id;
