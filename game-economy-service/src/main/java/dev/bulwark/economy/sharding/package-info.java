/**
 * Economy shards: each shard a unit of work (its own pool, transaction manager, outbox relay,
 * inbox and circuit breaker), the consistent-hash router with each shard's recorded ownership,
 * ids that carry their owner's ring point, and two-phase commit across shards.
 */
package dev.bulwark.economy.sharding;
