package dev.bulwark.events.social;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A member's role inside a guild changed: promoted to officer, demoted to member, or given or handed on the
 * leadership (a hand-over is two events, the old leader's and the new one's, in one transaction).
 *
 * @param role LEADER, OFFICER or MEMBER, the role from now on
 */
public record GuildRoleChanged(UUID guildId, UUID playerId, String role, Instant changedAt) implements Payload {
}
