-- Player-core's read model of guild membership, projected from social.events (GuildCreated,
-- GuildMemberJoined, GuildMemberLeft), applied per guild in sequence through the inbox.
CREATE TABLE guild_projection
(
  guild_id UUID PRIMARY KEY,
  name     TEXT NOT NULL
);

CREATE TABLE guild_membership_projection
(
  player_id UUID PRIMARY KEY,
  guild_id  UUID NOT NULL REFERENCES guild_projection (guild_id) ON DELETE CASCADE,
  role      TEXT NOT NULL
);
CREATE INDEX guild_membership_projection_guild ON guild_membership_projection (guild_id);
