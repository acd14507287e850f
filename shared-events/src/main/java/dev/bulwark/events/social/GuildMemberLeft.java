package dev.bulwark.events.social;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A member is no longer in a guild.
 *
 * @param reason      LEFT (on their own) or KICKED
 * @param newLeaderId who leads now, when the leader left; otherwise null
 * @param dissolved   true when the last member left and the guild no longer exists
 */
public record GuildMemberLeft(UUID guildId, UUID playerId, String reason, UUID newLeaderId, boolean dissolved,
        Instant leftAt) implements Payload {
}
