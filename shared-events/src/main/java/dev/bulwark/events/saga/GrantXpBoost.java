package dev.bulwark.events.saga;

import java.util.UUID;

/** The {@code xp-boost} offer's effect: player-core raises the player's XP gain for a while. */
public record GrantXpBoost(UUID sagaId, String step, UUID playerId, int bonusPercent, long durationSeconds)
        implements SagaCommand {
}
