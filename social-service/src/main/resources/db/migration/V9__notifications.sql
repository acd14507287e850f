-- A player's inbox. seq numbers a player's notifications in commit order (inserts for one player
-- take a transaction-scoped advisory lock on the player first), so a live stream resumes by seq
-- and never skips one committed late; pages go newest first by seq. source_event_id is the Kafka
-- event a notification came from (null for an operator's message): with processed_message it makes
-- one notification per event.
CREATE TABLE notification
(
  player_id       UUID        NOT NULL,
  seq             BIGINT      NOT NULL,
  notification_id UUID        NOT NULL UNIQUE,
  kind            TEXT        NOT NULL,
  subject_id      UUID,
  text            TEXT,
  source_event_id UUID,
  created_at      TIMESTAMPTZ NOT NULL,
  read_at         TIMESTAMPTZ,
  PRIMARY KEY (player_id, seq),
  UNIQUE (source_event_id, player_id)
);
CREATE INDEX notification_unread ON notification (player_id, seq) WHERE read_at IS NULL;
CREATE INDEX notification_by_age ON notification (created_at);
