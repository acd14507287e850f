package dev.bulwark.economy.saga;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A saga as operators and buyers see it, with every step it took. */
public record SagaView(UUID sagaId, String type, UUID playerId, SagaState state, String step, Instant deadline,
        int cancelAttempts, String reason, Map<String, String> result, Instant createdAt, Instant updatedAt,
        List<StepView> steps) {

    public record StepView(String step, String action, String detail, Instant at) {
    }
}
