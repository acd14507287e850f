package dev.bulwark.platform.shard;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.bulwark.platform.refusal.Refusal;
import dev.bulwark.platform.twophase.TwoPhaseAbortedException;
import dev.bulwark.platform.twophase.TwoPhaseCommit;
import dev.bulwark.platform.twophase.TwoPhaseInDoubtException;
import dev.bulwark.platform.twophase.TwoPhaseRecovery;
import dev.bulwark.platform.web.ApiException;

/**
 * Work that must be atomic across shards. Parts on one shard are merged and run in that shard's
 * transaction (joining one already bound there); parts on two or more run as one transaction by
 * the platform's two-phase commit, each on its participant's connection bound where the shard's
 * code looks for its transaction ({@link ShardUnit#jdbc}), so stores and the outbox run unchanged
 * inside a participant.
 *
 * <p>A participant's work must not LISTEN or NOTIFY: PostgreSQL refuses to PREPARE such a
 * transaction. Notify after {@link #execute} returns instead.
 */
public final class CrossShardWork implements AutoCloseable {

    /** One shard's share: runs with that shard's transaction bound (do not commit). */
    public record Part(ShardUnit shard, Runnable work) {
    }

    private static final Logger log = LoggerFactory.getLogger(CrossShardWork.class);

    private final TwoPhaseCommit coordinator;
    private final AutoCloseable recovery;
    private final TwoPhaseSlots inFlight;

    private CrossShardWork(TwoPhaseCommit coordinator, AutoCloseable recovery, int concurrency, Duration lockTimeout) {
        this.coordinator = coordinator;
        this.recovery = recovery;
        this.inFlight = TwoPhaseSlots.of(concurrency, lockTimeout);
    }

    /**
     * Over {@code shards}, the decisions logged on {@code decisions} (a shard with the platform's
     * {@code twophase_decision} table); recovery of what a crash left prepared runs every
     * {@code recoveryInterval} on one replica at a time. With one shard there is no coordinator.
     *
     * <p>At most {@code concurrency} two-phase commits run at once: each holds several connections
     * at the same time (the decision's, a participant's, perhaps a read's), taken one after another,
     * so unbounded they can drain a pool between them and wait for each other until its timeout.
     * Size it to the smallest pool divided by three.
     */
    public static CrossShardWork over(String coordinatorName, ShardUnit decisions, List<ShardUnit> shards,
            Duration lockTimeout, Duration recoveryGrace, Duration recoveryInterval, int concurrency) {
        if (shards.size() < 2) {
            return new CrossShardWork(null, () -> {
            }, 1, lockTimeout);
        }
        TwoPhaseCommit.Builder builder = TwoPhaseCommit.builder(coordinatorName, decisions.dataSource()).lockTimeout(lockTimeout);
        shards.forEach(shard -> builder.participant(shard.id(), shard.dataSource()));
        TwoPhaseCommit built = builder.build();
        TwoPhaseRecovery recovery = built.recovery(recoveryGrace);
        return new CrossShardWork(built, recovery.schedule(recoveryInterval), Math.max(1, concurrency), lockTimeout);
    }

    /**
     * Runs the parts, in order (the caller's lock order), as one transaction. A part's refusal (a
     * {@link Refusal} or an {@link ApiException}) aborts everything and is thrown as it was; a shard
     * that cannot be reached, or whose breaker is open, is 503 {@code shard-unavailable} before any
     * lock is taken; a lock wait past the lock timeout is 503 {@code shard-contended}; a decision
     * whose commit was cut off is 503 too (recovery settles it; a retry finds the outcome).
     */
    public void execute(List<Part> parts) {
        Map<ShardUnit, List<Runnable>> byShard = new LinkedHashMap<>();
        parts.forEach(part -> byShard.computeIfAbsent(part.shard(), s -> new ArrayList<>()).add(part.work()));
        if (byShard.size() == 1) {
            var only = byShard.entrySet().iterator().next();
            only.getKey().inTransaction(() -> only.getValue().forEach(Runnable::run));
            return;
        }
        if (coordinator == null) {
            throw new IllegalStateException("Parts on several shards but no coordinator over them");
        }
        for (ShardUnit shard : byShard.keySet()) {
            if (shard.open()) {
                throw shard.unavailable();
            }
        }
        List<TwoPhaseCommit.Work> works = new ArrayList<>(byShard.size());
        byShard.forEach((shard, work) -> works.add(new TwoPhaseCommit.Work(shard.id(), new Bound(shard, work))));
        inFlight.run(() -> {
            try {
                coordinator.execute(works);
            } catch (TwoPhaseAbortedException aborted) {
                throw translate(aborted, byShard);
            } catch (TwoPhaseInDoubtException inDoubt) {
                log.warn("Cross-shard transaction {} in doubt; recovery settles it", inDoubt.transactionId());
                throw ApiException.unavailable("shard-unavailable", "The outcome is being settled; retry")
                        .withHeader("Retry-After", "2");
            }
        });
        byShard.keySet().forEach(ShardUnit::wakeRelay);
    }

    private static RuntimeException translate(TwoPhaseAbortedException aborted, Map<ShardUnit, List<Runnable>> byShard) {
        for (Throwable t = aborted.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ApiException || t instanceof Refusal) {
                return (RuntimeException) t;
            }
        }
        if (ShardUnit.unreachable(aborted)) {
            for (ShardUnit shard : byShard.keySet()) {
                try {
                    shard.guarded(() -> shard.jdbc().sql("SELECT 1").query(Integer.class).single());
                } catch (ApiException unavailable) {
                    return unavailable;
                }
            }
            return byShard.keySet().iterator().next().unavailable();
        }
        if (aborted.retryable()) {
            return TwoPhaseSlots.contended();
        }
        return aborted;
    }


    /** A shard's work with its participant's connection bound as the shard's transaction. */
    private record Bound(ShardUnit shard, List<Runnable> work) implements TwoPhaseCommit.ParticipantWork {

        @Override
        public void run(JdbcClient jdbc) {
            throw new UnsupportedOperationException("runs on its connection");
        }

        @Override
        public void runOn(Connection connection) {
            Object key = shard.dataSource();
            // A transaction of the caller's may be bound to this shard already (a saga participant's
            // on the primary): the part runs on its own connection, and the caller's comes back after.
            Object callers = TransactionSynchronizationManager.unbindResourceIfPossible(key);
            TransactionSynchronizationManager.bindResource(key, new ParticipantConnection(connection));
            try {
                work.forEach(Runnable::run);
            } finally {
                TransactionSynchronizationManager.unbindResource(key);
                if (callers != null) {
                    TransactionSynchronizationManager.bindResource(key, callers);
                }
            }
        }
    }

    /** A connection holder that says a transaction is active, so code asking for one joins it. */
    private static final class ParticipantConnection extends ConnectionHolder {

        ParticipantConnection(Connection connection) {
            super(connection);
            setTransactionActive(true);
        }
    }

    @Override
    public void close() throws Exception {
        recovery.close();
    }
}
