/**
 * Atomic transactions across several PostgreSQL databases (shards) by two-phase commit, with a
 * durable decision log, presumed abort and recovery. Not auto-configured: the service that owns
 * the shard DataSources wires it, for instance
 *
 * <pre>{@code
 * TwoPhaseCommit coordinator = TwoPhaseCommit.builder("economy", shard0)     // decision log in shard 0's database
 *         .participant("shard0", shard0).participant("shard1", shard1)
 *         .lockTimeout(Duration.ofSeconds(2)).hooks(crashDrills)             // TwoPhaseHooks.NONE by default
 *         .build();
 * coordinator.metrics().bindTo(meterRegistry);
 * AutoCloseable recovery = coordinator.recovery(Duration.ofSeconds(30)).schedule(Duration.ofSeconds(10));
 *
 * // a cross-shard transfer: the works in player-id order (the lock order across shards)
 * coordinator.execute(List.of(
 *         new Work("shard1", jdbc -> debit(jdbc, sender)),      // the lower player id first
 *         new Work("shard0", jdbc -> credit(jdbc, recipient))));
 * }</pre>
 *
 * A same-shard transfer stays one local transaction; a global one needs two or more
 * participants. Every participant database needs {@code max_prepared_transactions} above the
 * number of global transactions in flight; the coordinator database needs the platform's
 * {@code twophase_decision} table (migration {@code V0_19}).
 */
package dev.bulwark.platform.twophase;
