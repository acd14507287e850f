/**
 * Social's shards: each a unit of work (the platform's {@code ShardUnit}: pool, transaction
 * manager, outbox relay, inbox, breaker), placed by the platform ring with typed keys: a guild's
 * data by its guild key, a player's by their player key. One shard, the service's own database,
 * is the default. Admin reads: the shard list, the shard of a player and of a guild.
 */
package dev.bulwark.social.shard;
