-- Leaderboards, created by operators. The id is the board key game servers and clients name in
-- paths: printable ASCII without spaces or control characters. reset_schedule is a Spring cron
-- expression evaluated in UTC, or null for a board that never resets.
CREATE TABLE leaderboard
(
  leaderboard_id TEXT        PRIMARY KEY CHECK (leaderboard_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  sort_order     TEXT        NOT NULL CHECK (sort_order IN ('DESC', 'ASC')),
  operator       TEXT        NOT NULL CHECK (operator IN ('BEST', 'SET', 'INCREMENT', 'DECREMENT')),
  reset_schedule TEXT,
  created_by     TEXT        NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL
);

-- One record per player and period. period_end is the epoch second of the reset that ends the
-- period (0 on a board that never resets), so a period is named by any instant inside it and past
-- periods stay as they were. sort_key orders better records first whatever the board's order
-- (-score on DESC boards, score on ASC ones); ties go to the record that got its score first, then
-- to the lower player id. A rank is 1 + the number of records before it in that order, counted on
-- the index below.
CREATE TABLE leaderboard_record
(
  leaderboard_id TEXT        NOT NULL REFERENCES leaderboard (leaderboard_id),
  period_end     BIGINT      NOT NULL,
  player_id      UUID        NOT NULL,
  score          BIGINT      NOT NULL,
  sort_key       BIGINT      NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (leaderboard_id, period_end, player_id)
);
CREATE INDEX leaderboard_record_rank ON leaderboard_record (leaderboard_id, period_end, sort_key, updated_at, player_id);

-- Idempotency of score writes, scoped to (caller, board): claimed in the same transaction as the
-- write, with the answer given, so a retry gets the first answer and a refused write claims nothing.
CREATE TABLE leaderboard_write
(
  caller          TEXT        NOT NULL,
  leaderboard_id  TEXT        NOT NULL,
  idempotency_key TEXT        NOT NULL,
  request_hash    TEXT        NOT NULL,
  player_id       UUID        NOT NULL,
  score           BIGINT,
  period_end      BIGINT,
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (caller, leaderboard_id, idempotency_key)
);
CREATE INDEX leaderboard_write_by_age ON leaderboard_write (created_at);
