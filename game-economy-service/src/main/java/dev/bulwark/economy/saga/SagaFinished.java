package dev.bulwark.economy.saga;

import java.util.UUID;

/** Published inside the transaction that finishes a saga, so its owner settles in the same commit. */
public record SagaFinished(UUID sagaId, String type, UUID playerId, SagaState state, String reason) {
}
