package dev.bulwark.events.player;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * Another fencing epoch began for the player, or the holder let go. Consumers that fence game
 * server writes (the economy) raise their fence to {@code epoch}, but must not rely on this
 * arriving in time: the lease itself carries the epoch.
 *
 * @param serverId  the new holder; null when {@code change} is {@code RELEASED}
 * @param expiresAt when the new lease expires; null when released
 */
public record AuthorityChanged(UUID playerId, Change change, String serverId, long epoch, Instant expiresAt)
        implements Payload {

    public enum Change {
        CLAIMED, TRANSFERRED, RELEASED
    }
}
