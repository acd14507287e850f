package dev.bulwark.economy.saga;

import java.time.Clock;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

import dev.bulwark.platform.messaging.SingleInstance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Starts the cancel protocol for sagas past their deadline, and repeats unanswered Cancels.
 * Runs on one instance at a time (an advisory lock), however many replicas there are. Each saga
 * is handled in its own transaction, so one that cannot be handled (its type was removed, its
 * data no longer decodes) rolls back alone: it is parked — left out of later scans until an
 * operator retries or cancels it — counted in {@code bulwark.saga.deadline.failures} and shown
 * in {@code bulwark.sagas.parked}, which pages. A database that is briefly unreachable parks
 * nothing: the next scan tries again.
 */
@Component
class SagaDeadlineScanner {

    private static final Logger log = LoggerFactory.getLogger(SagaDeadlineScanner.class);
    private static final int BATCH = 100;

    private final SagaStore store;
    private final SagaOrchestrator orchestrator;
    private final SingleInstance singleInstance;
    private final MeterRegistry meters;
    private final Clock clock;

    SagaDeadlineScanner(SagaStore store, SagaOrchestrator orchestrator, SingleInstance singleInstance,
            MeterRegistry meters, Clock clock) {
        this.store = store;
        this.orchestrator = orchestrator;
        this.singleInstance = singleInstance;
        this.meters = meters;
        this.clock = clock;
        Gauge.builder("bulwark.sagas.parked", store, SagaStore::parked)
                .description("Sagas whose deadline could not be handled; they wait for an operator and their funds stay held")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${bulwark.saga.scan-interval:1s}")
    void scan() {
        try {
            singleInstance.runIfFree("saga-deadlines", () -> store.due(clock.instant(), BATCH).forEach(this::handle));
        } catch (RuntimeException e) {
            log.warn("Saga deadline scan did not complete: {}", e.toString());
        }
    }

    private void handle(UUID sagaId) {
        try {
            // The job lock's transaction stays open while the sagas are handled; each saga needs its own.
            store.shardOf(sagaId).inNewTransaction(() -> {
                orchestrator.onDeadline(sagaId);
                return null;
            });
        } catch (TransientDataAccessException | RecoverableDataAccessException | CannotCreateTransactionException e) {
            log.warn("Deadline of saga {} not handled, retried on the next scan: {}", sagaId, e.toString());
        } catch (RuntimeException e) {
            String type = store.park(sagaId, e.toString(), clock.instant());
            Counter.builder("bulwark.saga.deadline.failures").tag("saga", type == null ? "unknown" : type)
                    .description("Sagas whose deadline could not be handled and were parked")
                    .register(meters).increment();
            log.error("Saga {} ({}) parked: its deadline could not be handled", sagaId, type, e);
        }
    }
}
