package dev.bulwark.economy.saga;

import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.bulwark.economy.sharding.CrossShard;
import dev.bulwark.economy.sharding.Shards;

/**
 * Crash drills: when {@code BULWARK_CRASH_POINT} names a point, the process halts there at once
 * ({@code Runtime.halt}: no shutdown hooks, nothing flushed, as SIGKILL), so system tests can kill
 * the economy at an exact place in a saga. The bean exists only when the variable is set; it
 * follows sagas through the events the orchestrator publishes anyway, so no production bean
 * calls it and, unset (production), nothing of it runs.
 */
@Component
@ConditionalOnProperty("BULWARK_CRASH_POINT")
class CrashPoints {

    /** The places a saga can be killed at. */
    public enum Point {
        /** The start transaction (purchase, hold, saga row, command) committed and the command reached Kafka. */
        SAGA_AFTER_HOLD("saga-after-hold"),
        /** The start transaction committed; the command is in the outbox but was not handed to Kafka. */
        SAGA_AFTER_COMMAND_WRITTEN("saga-after-command-written"),
        /** A participant's reply was read and applied (capture or release) but its transaction did not commit. */
        SAGA_AFTER_REPLY_CONSUMED("saga-after-reply-consumed");

        private final String id;

        Point(String id) {
            this.id = id;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(CrashPoints.class);

    private final Optional<Point> armed;
    private final Shards shards;

    CrashPoints(@Value("${BULWARK_CRASH_POINT:}") String point, Shards shards) {
        this.shards = shards;
        // The two-phase commit's points are armed by the cross-shard coordinator itself.
        this.armed = point.isBlank() || CrossShard.crashPoints().contains(point.strip()) ? Optional.empty()
                : Optional.of(Arrays.stream(Point.values())
                .filter(p -> p.id.equals(point.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown BULWARK_CRASH_POINT " + point)));
        armed.ifPresent(p -> log.warn("Crash drill armed: this process halts at {}", p.id));
    }

    /** Inside a saga's start transaction: arms the two after-commit points. */
    @EventListener
    void sagaStarted(SagaStarted started) {
        UUID sagaId = started.sagaId();
        if (armed.isEmpty() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        if (armed.get() == Point.SAGA_AFTER_COMMAND_WRITTEN) {
            // First of the after-commit callbacks, so before the outbox wakes its relay: the command stays a row
            // of outbox_message, which the relay sends after the restart.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public int getOrder() {
                    return Ordered.HIGHEST_PRECEDENCE;
                }

                @Override
                public void afterCommit() {
                    halt(Point.SAGA_AFTER_COMMAND_WRITTEN);
                }
            });
        } else if (armed.get() == Point.SAGA_AFTER_HOLD) {
            // After commit, once the relay has sent the command (its row is deleted after Kafka's acknowledgement),
            // before the participant's reply is applied.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        awaitSent(sagaId);
                        halt(Point.SAGA_AFTER_HOLD);
                    }
                }
            });
        }
    }

    /**
     * In the reply listener's transaction, once the orchestrator applied the reply that finishes
     * the saga (capture or release) and before it commits.
     */
    @EventListener
    void replyConsumed(SagaFinished finished) {
        if (armed.filter(Point.SAGA_AFTER_REPLY_CONSUMED::equals).isPresent()) {
            halt(Point.SAGA_AFTER_REPLY_CONSUMED);
        }
    }

    private void awaitSent(UUID sagaId) {
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < giveUp && unsent(sagaId)) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether the saga's command is still in the outbox, which commits with the saga on its player's shard. */
    private boolean unsent(UUID sagaId) {
        return shards.all().stream().anyMatch(shard -> shard
                .sql("SELECT count(*) FROM outbox_message WHERE envelope LIKE :id")
                .param("id", "%" + sagaId + "%").query(Long.class).single() > 0);
    }

    private static void halt(Point point) {
        System.err.println("Crash drill: halting at " + point.id);
        Runtime.getRuntime().halt(137);
    }
}
