CREATE TABLE player
(
  player_id          UUID PRIMARY KEY,
  username           TEXT        NOT NULL,
  display_name       TEXT        NOT NULL,
  password_hash      TEXT        NOT NULL,
  character_class    TEXT        NOT NULL DEFAULT 'ADVENTURER',
  level              INT         NOT NULL DEFAULT 1,
  experience         BIGINT      NOT NULL DEFAULT 0,
  hp                 INT         NOT NULL DEFAULT 100,
  mp                 INT         NOT NULL DEFAULT 50,
  strength           INT         NOT NULL DEFAULT 10,
  agility            INT         NOT NULL DEFAULT 10,
  version            BIGINT      NOT NULL DEFAULT 0,
  created_at         TIMESTAMPTZ NOT NULL
);
-- Both names are unique whatever their case.
CREATE UNIQUE INDEX player_username_ci ON player (lower(username));
CREATE UNIQUE INDEX player_display_name_ci ON player (lower(display_name));
