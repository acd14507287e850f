package dev.bulwark.platform.security;

import java.time.Instant;
import java.util.UUID;

/**
 * A game server's fenced authority over a player (docs/architecture.md §2), as read from a verified
 * lease. Writes about the player are accepted only from {@code serverId} at this {@code epoch}.
 */
public record AuthorityLease(UUID playerId, String serverId, long epoch, Instant expiresAt) {
}
