package dev.bulwark.events.saga;

import java.util.UUID;

/** The {@code name-change} offer's effect: player-core renames the player if the name is free. */
public record ChangeDisplayName(UUID sagaId, String step, UUID playerId, String displayName)
        implements SagaCommand {
}
