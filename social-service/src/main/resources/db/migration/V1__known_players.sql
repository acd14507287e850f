-- Players known from PlayerRegistered events: only they can be befriended or join guilds,
-- without a synchronous call to player-core.
CREATE TABLE known_player
(
  player_id    UUID PRIMARY KEY,
  display_name TEXT        NOT NULL,
  known_since  TIMESTAMPTZ NOT NULL
);
