/**
 * Where a player's rows live: every read and write of player data asks the shard router first,
 * with the player id.
 */
package dev.bulwark.economy.sharding;
