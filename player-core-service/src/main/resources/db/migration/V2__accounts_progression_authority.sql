-- Refresh tokens are opaque random strings; only their SHA-256 is stored. A token is used once:
-- rotation marks it used and issues the next one in the same family, and presenting a used one
-- again revokes the whole family (someone else has a copy).
CREATE TABLE refresh_token
(
  token_hash BYTEA       NOT NULL PRIMARY KEY,
  family_id  UUID        NOT NULL,
  player_id  UUID        NOT NULL REFERENCES player (player_id),
  issued_at  TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at    TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_token_player ON refresh_token (player_id);

-- Login attempts per username (lower case) in a fixed window, shared by every instance.
CREATE TABLE login_throttle
(
  username_ci       TEXT        NOT NULL PRIMARY KEY,
  attempts          INT         NOT NULL,
  window_started_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE player
  ADD COLUMN avatar               TEXT,
  ADD COLUMN language             TEXT        NOT NULL DEFAULT 'en',
  -- The fencing token: which game server holds the player, at which epoch, until when.
  ADD COLUMN authority_server     TEXT,
  ADD COLUMN authority_epoch      BIGINT      NOT NULL DEFAULT 0,
  ADD COLUMN authority_expires_at TIMESTAMPTZ,
  ADD CONSTRAINT player_character_class CHECK (character_class IN ('ADVENTURER', 'WARRIOR', 'MAGE', 'ROGUE', 'CLERIC')),
  ADD CONSTRAINT player_level_bounds CHECK (level BETWEEN 1 AND 100),
  ADD CONSTRAINT player_experience_bounds CHECK (experience >= 0),
  ADD CONSTRAINT player_stats_bounds CHECK (hp BETWEEN 1 AND 9999 AND mp BETWEEN 0 AND 9999
    AND strength BETWEEN 1 AND 999 AND agility BETWEEN 1 AND 999);

-- XP boosts bought through the xp-boost offer, one per saga step.
CREATE TABLE xp_boost
(
  saga_id       UUID        NOT NULL,
  step          TEXT        NOT NULL,
  player_id     UUID        NOT NULL REFERENCES player (player_id),
  bonus_percent INT         NOT NULL CHECK (bonus_percent BETWEEN 1 AND 500),
  expires_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (saga_id, step)
);
CREATE INDEX xp_boost_player ON xp_boost (player_id, expires_at);
