package dev.bulwark.events.social;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A player became a member of a guild (joined an open guild, was approved, or founded it).
 *
 * @param role LEADER, OFFICER or MEMBER
 */
public record GuildMemberJoined(UUID guildId, UUID playerId, String role, Instant joinedAt) implements Payload {
}
