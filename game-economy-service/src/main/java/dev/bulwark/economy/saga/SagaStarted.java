package dev.bulwark.economy.saga;

import java.util.UUID;

/** Published inside a saga's start transaction, after its first commands went into the outbox. */
record SagaStarted(UUID sagaId, String type, UUID playerId) {
}
