/**
 * The consistent-hash ring that maps typed entity keys to named shards.
 *
 * <pre>{@code
 * HashRing ring = HashRing.of("shard-0", "shard-1");        // version 1, 150 vnodes per shard
 * RingKey key = RingKey.player(playerId);
 * long point = key.point();                                  // store it beside the player's rows
 * String shard = ring.shardFor(key);                         // == ring.shardAt(point)
 * HashRing next = ring.withShard("shard-2");                 // version 2
 * List<HashRing.Move> moves = ring.movesTo(next);            // the ranges a resharding job copies
 * }</pre>
 *
 * Points, tokens and routes are a stored contract, pinned by golden vectors in the tests.
 */
package dev.bulwark.sharding;
