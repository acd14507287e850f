package dev.bulwark.events.player;

import java.time.Instant;
import java.util.UUID;

import dev.bulwark.events.Payload;

/**
 * A new account exists. The economy opens its wallet; social learns the player is real, and where
 * they live.
 *
 * @param homeRegion the region whose social deployment holds the player's social data (since schema
 *                   version 2; null in version 1 messages, which readers take as the default home)
 */
public record PlayerRegistered(UUID playerId, String username, String displayName, Instant registeredAt,
        String homeRegion) implements Payload {

    /** A registration that names no home region, as version 1 wrote them (tests, older fixtures). */
    public PlayerRegistered(UUID playerId, String username, String displayName, Instant registeredAt) {
        this(playerId, username, displayName, registeredAt, null);
    }
}
