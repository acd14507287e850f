-- Guild chat. `seq` numbers a guild's messages 1, 2, 3… and is the SSE event id. It is taken
-- from guild.last_message_seq under that row's lock, so messages commit in seq order and a
-- stream resuming after Last-Event-ID can never skip one that commits late.
CREATE TABLE guild_message
(
  guild_id  UUID        NOT NULL REFERENCES guild (guild_id) ON DELETE CASCADE,
  seq       BIGINT      NOT NULL,
  author_id UUID        NOT NULL,
  text      TEXT        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 500),
  posted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (guild_id, seq)
);
