package dev.bulwark.events.saga;

import java.util.UUID;

/** The {@code guild-charter} offer's effect: social creates a guild led by the buyer. */
public record CreateGuild(UUID sagaId, String step, UUID leaderId, String guildName) implements SagaCommand {
}
