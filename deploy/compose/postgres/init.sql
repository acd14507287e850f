-- One database per service; they share a server only on a developer's machine.
CREATE DATABASE player_core;
CREATE DATABASE game_economy;
CREATE DATABASE social;
