/**
 * Shards as units of work, for a service that keeps its data on several databases: one shard's
 * pool, transaction manager, outbox, inbox and circuit breaker ({@link ShardUnit}), and atomic work
 * across shards by the platform's two-phase commit ({@link CrossShardWork}). Social uses these;
 * the economy's {@code economy.sharding} predates them and keeps its own copy for now.
 */
package dev.bulwark.platform.shard;
