-- One database per service; they share a server only on a developer's machine.
CREATE DATABASE player_core;
CREATE DATABASE game_economy;
CREATE DATABASE social;
-- Social's second shard (social's own database is its shard0): a database on the same server here.
CREATE DATABASE social_shard1;
