package dev.bulwark.economy.sharding;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.bulwark.platform.refusal.Refusal;
import dev.bulwark.platform.shard.TwoPhaseSlots;
import dev.bulwark.platform.twophase.TwoPhaseAbortedException;
import dev.bulwark.platform.twophase.TwoPhaseCommit;
import dev.bulwark.platform.twophase.TwoPhaseHooks;
import dev.bulwark.platform.twophase.TwoPhaseInDoubtException;
import dev.bulwark.platform.web.ApiException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Atomic work across economy shards by the platform's two-phase commit: the coordinator's
 * decision row commits in the primary shard's database before any participant commits; no row
 * means abort; recovery (on one replica at a time, at start and every
 * {@code bulwark.economy.ring.recovery-interval}) finishes whatever a crash left prepared.
 *
 * <p>Each part runs on its participant's connection, bound for the part's duration where the
 * shard's code looks for its transaction ({@link Shard#sql}, {@link Shard#requireTransaction}),
 * so the ledger, the outbox and the idempotency record run unchanged inside a participant.
 */
@Component
public class CrossShard implements DisposableBean {

    /** One shard's share: runs with that shard's transaction bound (do not commit). */
    public record Part(Shard shard, Runnable work) {
    }

    private static final Logger log = LoggerFactory.getLogger(CrossShard.class);

    private final Shards shards;
    private final ObjectProvider<MeterRegistry> meters;
    private final TwoPhaseHooks hooks;
    private volatile Optional<TwoPhaseCommit> coordinator = Optional.empty();
    private volatile AutoCloseable recovery = () -> {
    };
    /** At most a third of the smallest pool runs at once (sixteen unbounded drained a pool of ten). */
    private final TwoPhaseSlots inFlight;

    CrossShard(Shards shards, ObjectProvider<MeterRegistry> meters,
            @Value("${BULWARK_CRASH_POINT:}") String crashPoint) {
        this.shards = shards;
        this.meters = meters;
        this.hooks = crashDrill(crashPoint);
        int smallestPool = shards.properties().shards().stream().mapToInt(ShardsProperties.ShardSpec::poolSize)
                .min().orElse(10);
        this.inFlight = TwoPhaseSlots.forPool(Math.min(smallestPool, 10), shards.properties().ring().lockTimeout());
        rebuild();
        // A shard added at runtime (online resharding) becomes a participant at once.
        shards.onAdded(added -> rebuild());
    }

    /** The coordinator over every shard there is now; the previous one's recovery stops. */
    private synchronized void rebuild() {
        if (shards.all().size() < 2) {
            return;
        }
        TwoPhaseCommit.Builder builder = TwoPhaseCommit.builder("economy", shards.primary().dataSource())
                .lockTimeout(shards.properties().ring().lockTimeout()).hooks(hooks);
        shards.all().forEach(shard -> builder.participant(shard.id(), shard.dataSource()));
        TwoPhaseCommit built = builder.build();
        boolean first = coordinator.isEmpty();
        if (first) {
            meters.ifAvailable(registry -> built.metrics().bindTo(registry));
        }
        try {
            recovery.close();
        } catch (Exception e) {
            log.warn("Previous 2PC recovery did not stop cleanly: {}", e.toString());
        }
        coordinator = Optional.of(built);
        recovery = built.recovery(shards.properties().ring().recoveryGrace()).schedule(shards.recoveryInterval());
    }

    /**
     * Crash drills at the named points of the protocol ({@code BULWARK_CRASH_POINT=2pc-after-decision}, …):
     * the process halts there as SIGKILL would.
     */
    private static TwoPhaseHooks crashDrill(String crashPoint) {
        Optional<TwoPhaseHooks.Point> armed = java.util.Arrays.stream(TwoPhaseHooks.Point.values())
                .filter(p -> p.id().equals(crashPoint.strip())).findFirst();
        if (armed.isEmpty()) {
            return TwoPhaseHooks.NONE;
        }
        log.warn("Crash drill armed: this process halts at {}", armed.get().id());
        return (point, transactionId) -> {
            if (point == armed.get()) {
                System.err.println("Crash drill: halting at " + point.id() + " of " + transactionId);
                Runtime.getRuntime().halt(137);
            }
        };
    }

    /** The crash points this class understands, for the economy's check of BULWARK_CRASH_POINT. */
    public static Set<String> crashPoints() {
        Set<String> ids = new LinkedHashSet<>();
        for (TwoPhaseHooks.Point point : TwoPhaseHooks.Point.values()) {
            ids.add(point.id());
        }
        return ids;
    }

    /**
     * Runs the parts, in order (the caller's lock order), as one transaction across their shards.
     * A part's refusal (a {@link Refusal} such as insufficient funds, or an {@link ApiException}) aborts everything and is
     * thrown as it was; a shard that cannot be reached, or whose breaker is open, is 503
     * {@code shard-unavailable} before any lock is taken; a lock wait past the lock timeout is 503
     * {@code shard-contended}; a decision whose commit was cut off is 503 too (a retry with the
     * same Idempotency-Key finds the outcome once recovery has settled it).
     */
    public void execute(List<Part> parts) {
        TwoPhaseCommit twoPhase = coordinator.orElseThrow(() -> new IllegalStateException("One shard: run it locally"));
        for (Part part : parts) {
            if (part.shard().breaker().getState() == CircuitBreaker.State.OPEN) {
                throw part.shard().unavailable();
            }
        }
        List<TwoPhaseCommit.Work> works = new ArrayList<>(parts.size());
        for (Part part : parts) {
            works.add(new TwoPhaseCommit.Work(part.shard().id(), new Bound(part)));
        }
        long ringVersion = shards.ring().version();
        try {
            inFlight.run(() -> twoPhase.execute(works));
        } catch (TwoPhaseAbortedException aborted) {
            if (shards.ring().version() != ringVersion) {
                // The parts were planned on a ring a resharding switch just replaced: retry on the new one.
                throw ApiException.unavailable("shard-moved",
                        "These players' economy data moved to another shard; retry the request").withHeader("Retry-After", "1");
            }
            throw translate(aborted, parts);
        } catch (TwoPhaseInDoubtException inDoubt) {
            log.warn("Cross-shard transaction {} in doubt; recovery settles it", inDoubt.transactionId());
            throw ApiException.unavailable("shard-unavailable",
                    "The outcome is being settled; retry with the same Idempotency-Key").withHeader("Retry-After", "2");
        }
        parts.forEach(part -> part.shard().wakeRelay());
    }

    private static RuntimeException translate(TwoPhaseAbortedException aborted, List<Part> parts) {
        for (Throwable t = aborted.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ApiException || t instanceof Refusal) {
                return (RuntimeException) t;
            }
        }
        if (Shard.unreachable(aborted)) {
            return parts.get(0).shard().unavailable();
        }
        if (aborted.retryable()) {
            return TwoPhaseSlots.contended();
        }
        return aborted;
    }

    /** A part with its participant's connection bound as its shard's transaction. */
    private record Bound(Part part) implements TwoPhaseCommit.ParticipantWork {

        @Override
        public void run(org.springframework.jdbc.core.simple.JdbcClient jdbc) {
            throw new UnsupportedOperationException("runs on its connection");
        }

        @Override
        public void runOn(Connection connection) {
            Object key = part.shard().dataSource();
            TransactionSynchronizationManager.bindResource(key, new ParticipantConnection(connection));
            try {
                part.work().run();
            } finally {
                TransactionSynchronizationManager.unbindResource(key);
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
    public void destroy() throws Exception {
        recovery.close();
    }
}
