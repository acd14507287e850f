-- One row per direction: (player_id, other_id, state) is how player_id sees other_id.
-- FRIEND and the two invites always come in matching pairs; BLOCKED is one-sided (the blocked
-- player has no row, or their own BLOCKED row when both blocked each other). No row: strangers.
CREATE TABLE friend_relation
(
  player_id  UUID        NOT NULL REFERENCES known_player (player_id),
  other_id   UUID        NOT NULL REFERENCES known_player (player_id),
  state      TEXT        NOT NULL CHECK (state IN ('FRIEND', 'INVITE_SENT', 'INVITE_RECEIVED', 'BLOCKED')),
  changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (player_id, other_id),
  CHECK (player_id <> other_id)
);
