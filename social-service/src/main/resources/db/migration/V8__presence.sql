-- A player's presence, as persisted: online until online_until (pushed forward by every heartbeat
-- of the player's live stream on any instance, so a restart of social leaves players online for
-- that grace instead of showing everyone offline), the away flag the client sets, and the game
-- server holding the player until its lease expires (from player-core's AuthorityChanged events).
CREATE TABLE presence
(
  player_id     UUID        PRIMARY KEY,
  online_until  TIMESTAMPTZ,
  away          BOOLEAN     NOT NULL DEFAULT FALSE,
  in_game_until TIMESTAMPTZ,
  game_server   TEXT,
  authority_epoch BIGINT    NOT NULL DEFAULT 0,
  last_seen     TIMESTAMPTZ
);
