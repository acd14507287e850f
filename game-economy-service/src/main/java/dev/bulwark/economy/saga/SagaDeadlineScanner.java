package dev.bulwark.economy.saga;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.bulwark.platform.messaging.SingleInstance;

/**
 * Starts the cancel protocol for sagas past their deadline, and repeats unanswered Cancels.
 * Runs on one instance at a time (an advisory lock), however many replicas there are.
 */
@Component
class SagaDeadlineScanner {

    private static final Logger log = LoggerFactory.getLogger(SagaDeadlineScanner.class);
    private static final int BATCH = 100;

    private final SagaStore store;
    private final SagaOrchestrator orchestrator;
    private final SingleInstance singleInstance;
    private final Clock clock;

    SagaDeadlineScanner(SagaStore store, SagaOrchestrator orchestrator, SingleInstance singleInstance, Clock clock) {
        this.store = store;
        this.orchestrator = orchestrator;
        this.singleInstance = singleInstance;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${bulwark.saga.scan-interval:1s}")
    void scan() {
        try {
            singleInstance.runIfFree("saga-deadlines",
                    () -> store.due(clock.instant(), BATCH).forEach(orchestrator::onDeadline));
        } catch (RuntimeException e) {
            log.warn("Saga deadline scan did not complete: {}", e.toString());
        }
    }
}
