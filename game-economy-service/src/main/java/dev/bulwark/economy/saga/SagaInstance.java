package dev.bulwark.economy.saga;

import java.time.Instant;
import java.util.UUID;

/**
 * One saga's persisted position. {@code step} is the index of the step being executed or
 * awaited; {@code deadline} is set while a participant is awaited; {@code version} guards
 * against two writers.
 */
record SagaInstance<D>(UUID id, String type, SagaState state, int step, D data, Instant deadline,
        int cancelAttempts, String reason, long version) {

    SagaInstance<D> with(SagaState state, int step, D data, Instant deadline, int cancelAttempts, String reason) {
        return new SagaInstance<>(id, type, state, step, data, deadline, cancelAttempts, reason, version);
    }
}
