-- Social on several shards (every shard has every table; each row lives on one shard).
-- The player's own guild index, on the player's shard: at most one guild per player, whichever
-- shard the guild is on. A join writes this row and the guild_member row in one transaction
-- (two-phase commit when the two shards differ).
CREATE TABLE player_guild
(
  player_id UUID PRIMARY KEY,
  guild_id  UUID        NOT NULL,
  since     TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO player_guild (player_id, guild_id, since)
SELECT player_id, guild_id, since FROM guild_member WHERE role <> 'JOIN_REQUEST';

-- The guild-name directory, on the primary shard: names are unique across every shard. A claim
-- whose guild is gone (dissolved) is taken over by the next charter of that name.
CREATE TABLE guild_name_claim
(
  name_key TEXT PRIMARY KEY,
  guild_id UUID NOT NULL
);
INSERT INTO guild_name_claim (name_key, guild_id) SELECT lower(name), guild_id FROM guild;
