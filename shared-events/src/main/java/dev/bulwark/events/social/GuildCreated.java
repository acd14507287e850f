package dev.bulwark.events.social;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A guild exists, created by the {@code guild-charter} saga. The leader's membership follows as
 * {@link GuildMemberJoined} in the same guild stream.
 *
 * @param sagaId the purchase saga that created it
 */
public record GuildCreated(UUID guildId, String name, UUID leaderId, UUID sagaId, Instant createdAt)
        implements Payload {
}
