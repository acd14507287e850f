-- Chat moderation by operators (the console). A mute is per guild and ends by itself at `until`;
-- no foreign key to guild: moderation rows follow their guild wherever its storage goes, and a
-- dissolved guild's mutes are simply never read again.
CREATE TABLE chat_mute
(
  guild_id  UUID        NOT NULL,
  player_id UUID        NOT NULL,
  until     TIMESTAMPTZ NOT NULL,
  muted_by  TEXT        NOT NULL,
  reason    TEXT        NOT NULL,
  PRIMARY KEY (guild_id, player_id)
);

-- Every moderation action, naming the operator (the token's subject), written in the action's
-- transaction. A removed message's text is kept here: the evidence outlives the message.
CREATE TABLE moderation_audit_log
(
  id          BIGSERIAL   PRIMARY KEY,
  operator_id TEXT        NOT NULL,
  guild_id    UUID        NOT NULL,
  player_id   UUID,
  action      TEXT        NOT NULL,
  reason      TEXT        NOT NULL,
  detail      JSONB       NOT NULL DEFAULT '{}',
  at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX moderation_audit_log_by_guild ON moderation_audit_log (guild_id, at);
