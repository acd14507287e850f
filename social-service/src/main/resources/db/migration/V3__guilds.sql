-- Guilds exist only through the guild-charter saga. Names are unique case-insensitively.
CREATE TABLE guild
(
  guild_id         UUID PRIMARY KEY,
  name             TEXT        NOT NULL,
  leader_id        UUID        NOT NULL,
  open             BOOLEAN     NOT NULL DEFAULT true,
  max_members      INT         NOT NULL CHECK (max_members BETWEEN 1 AND 500),
  created_by_saga  UUID        NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  version          BIGINT      NOT NULL DEFAULT 0,
  -- the number of the guild's latest chat message (the SSE event id), taken under the row lock
  last_message_seq BIGINT      NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX guild_name_unique ON guild (lower(name));

-- Members and join requests. A player is a member (LEADER, OFFICER, MEMBER) of at most one
-- guild, but may have join requests pending at several; becoming a member anywhere withdraws
-- them. `position` orders members by seniority: the oldest officer or member succeeds a leader.
CREATE TABLE guild_member
(
  guild_id  UUID        NOT NULL REFERENCES guild (guild_id) ON DELETE CASCADE,
  player_id UUID        NOT NULL,
  role      TEXT        NOT NULL CHECK (role IN ('LEADER', 'OFFICER', 'MEMBER', 'JOIN_REQUEST')),
  since     TIMESTAMPTZ NOT NULL DEFAULT now(),
  position  BIGSERIAL   NOT NULL,
  PRIMARY KEY (guild_id, player_id)
);
CREATE UNIQUE INDEX guild_member_one_guild_per_player ON guild_member (player_id) WHERE role <> 'JOIN_REQUEST';
CREATE UNIQUE INDEX guild_member_one_leader ON guild_member (guild_id) WHERE role = 'LEADER';
